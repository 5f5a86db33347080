/** `npm run start:passport`: the Passport example (NODE_ENV=development unless set; PORT 3001). */
import { createServer } from 'node:http';
import { DEMO_PASSWORD, DEMO_USERS } from '../users';
import { createPassportExampleApp } from './app';

async function main(): Promise<void> {
  const env: Record<string, string | undefined> = { ...process.env, PORT: process.env.PORT ?? '3001' };
  const { app, close } = await createPassportExampleApp(env);
  const server = createServer(app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(Number(env.PORT), resolve);
  });
  const url = `http://localhost:${env.PORT}`;
  console.log(`Passport example on ${url}/login (passport-local checks the password, the library the code)`);
  console.log(`Demo users (password "${DEMO_PASSWORD}"): ${DEMO_USERS.map((user) => user.email).join(', ')}`);
  console.log(`Email codes: ${env.SMTP_URL ? 'sent by SMTP' : `printed here and listed at ${url}/2fa/outbox (development only)`}.`);
  const stop = (): void => {
    server.close();
    server.closeAllConnections();
    void close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
