// Loads the installed package through `load` (require from CommonJS, import() from ESM), checks its
// entry points, and signs a user in through it: an Express app with the memory store and the
// development outbox, driven over HTTP. Prints one JSON line that the test reads.
const { once } = require('node:events');
const express = require('express');
const session = require('express-session');

async function check(load, resolve) {
  const lib = await load('express-device-2fa');
  const redis = await load('express-device-2fa/redis');
  const twilio = await load('express-device-2fa/twilio');
  const testing = await load('express-device-2fa/testing');
  const pkg = await load('express-device-2fa/package.json');

  return {
    resolved: resolve('express-device-2fa'),
    version: (pkg.default ?? pkg).version,
    exports: {
      main: Object.keys(lib)
        .filter((name) => name !== 'default')
        .sort(),
      redis: Object.keys(redis)
        .filter((name) => name !== 'default')
        .sort(),
      twilio: Object.keys(twilio)
        .filter((name) => name !== 'default')
        .sort(),
      testing: Object.keys(testing)
        .filter((name) => name !== 'default')
        .sort(),
    },
    // One class across entries: RedisStore's refusal is the main entry's ConfigurationError.
    redisRefusal: refusal(() => new redis.RedisStore({}), lib.ConfigurationError),
    // twilio is not installed: the channel says so when it is built, not when the entry is loaded.
    twilioRefusal: refusal(
      () => new twilio.SmsChannel({ accountSid: `AC${'0'.repeat(32)}`, authToken: 'token', from: '+15017122661' }),
      lib.ConfigurationError,
    ),
    internals: await Promise.all(
      ['express-device-2fa/dist/cjs/index.js', 'express-device-2fa/dist/index.mjs', 'express-device-2fa/src/index.ts'].map((specifier) =>
        load(specifier).then(
          () => 'loaded',
          (error) => error.code,
        ),
      ),
    ),
    signIn: await signIn(lib),
  };
}

function refusal(build, ConfigurationError) {
  try {
    build();
    return 'built';
  } catch (error) {
    return { sameClass: error instanceof ConfigurationError, message: error.message };
  }
}

async function signIn(lib) {
  const store = new lib.MemoryStore();
  const twoFactor = lib.deviceTwoFactor({
    secret: 'a-consumer-secret-that-is-long-enough-for-it',
    users: { find: async (id) => (id === 'u-ann' ? { id, email: 'ann@example.com', accountId: 'acme' } : undefined) },
    store,
    development: true,
    enforceNewAccounts: true,
  });
  const app = express();
  app.use(session({ secret: 'consumer-session-secret', resave: false, saveUninitialized: false }));
  app.use(twoFactor);
  app.post('/login', async (req, res, next) => {
    try {
      await twoFactor.passwordVerified(req, res, 'u-ann');
    } catch (error) {
      next(error);
    }
  });
  app.get('/', (req, res) => {
    res.send(twoFactor.verifiedUserId(req) ?? 'anonymous');
  });
  app.use(twoFactor.errorHandler);
  const server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const browser = cookieBrowser(`http://127.0.0.1:${server.address().port}`);
  try {
    const login = await browser('POST', '/login');
    const held = await browser('GET', '/');
    const page = await browser('GET', '/2fa');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(await page.text())?.[1];
    const outbox = await browser('GET', '/2fa/outbox');
    const code = /class="code-cell">(\d{6})</.exec(await outbox.text())?.[1];
    const verified = await browser('POST', '/2fa/verify', { code, _csrf: csrf });
    const home = await browser('GET', '/');
    return {
      login: [login.status, login.headers.get('location')],
      held: [held.status, held.headers.get('location')],
      page: page.status,
      code: Boolean(code),
      verified: [verified.status, verified.headers.get('location')],
      home: [home.status, await home.text()],
    };
  } finally {
    server.close();
    await twoFactor.close();
    await store.close();
  }
}

/** fetch with a cookie jar and no redirects followed: what a browser sends, step by step. */
function cookieBrowser(base) {
  const jar = new Map();
  return async (method, path, form) => {
    const response = await fetch(base + path, {
      method,
      redirect: 'manual',
      headers: { accept: 'text/html', cookie: [...jar].map(([name, value]) => `${name}=${value}`).join('; ') },
      body: form ? new URLSearchParams(form) : undefined,
    });
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const at = pair.indexOf('=');
      jar.set(pair.slice(0, at), pair.slice(at + 1));
    }
    return response;
  };
}

module.exports = { check };
