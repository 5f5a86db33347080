/** `npm start`: runs the example app (NODE_ENV=development unless set). Configuration: see app.ts. */
import { createServer } from 'node:http';
import { createExampleApp } from './app';
import { DEMO_PASSWORD, DEMO_USERS } from './users';

async function main(): Promise<void> {
  const { app, config, twoFactor, close } = await createExampleApp(process.env);
  // A Redis that is down is waited for (the app answers 503 meanwhile); one refused later, once it
  // answers (the library has said why), needs its configuration fixed.
  twoFactor.ready.catch(() => process.exit(1));
  const server = createServer(app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, resolve);
  });

  const url = `http://localhost:${config.port}`;
  console.log(`Example app on ${url}/login`);
  console.log(`Demo users (password "${DEMO_PASSWORD}"):`);
  for (const user of DEMO_USERS) console.log(`  ${user.email.padEnd(20)} ${user.note}`);
  const outbox = `printed here and listed at ${url}/2fa/outbox (development only)`;
  console.log(`Email codes: ${config.email ? 'sent by SMTP' : outbox}.`);
  console.log(`SMS and call codes: ${config.twilio ? 'Twilio' : config.development ? outbox : 'off (set the TWILIO_* variables)'}.`);
  console.log(`Once signed in: ${url}/2fa/settings (method, phone, trusted browsers, recovery codes);`);
  console.log(`  admins: ${url}/admin (their account's users).`);
  console.log(`API without a 2FA step: curl -H 'Authorization: Bearer demo-token' ${url}/api/me`);
  console.log(config.redisUrl ? 'Sessions and 2FA state: Redis.' : 'Sessions and 2FA state: in memory (set REDIS_URL to share them).');

  const stop = (): void => {
    server.close();
    server.closeAllConnections();
    close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
