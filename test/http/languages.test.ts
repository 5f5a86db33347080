/**
 * Languages through HTTP, on Express 4 and 5: which language a request gets (the host's
 * `locale(req)`, else `Accept-Language` negotiated, else English), every page of the flows in German
 * and Spanish with no English on it, codes and security emails in the user's own language, no
 * rendered text in the session, and what a hostile header or a host's bug cannot do.
 */
import session from 'express-session';
import request from 'supertest';
import { deviceTwoFactor, MemoryStore, type DeviceTwoFactor, type DeviceTwoFactorOptions, type UserIdentity } from '../../src';
import { METHODS } from '../../src/methods/registry';
import { de } from '../../src/views/strings.de';
import { DEFAULT_USER_SETTINGS } from '../../src/core/policy';
import { en } from '../../src/views/strings';
import { englishIn, allSentences } from '../helpers/languages';
import { messagingServices, TWILIO_ACCOUNT } from '../helpers/messaging';
import { csrfFrom, EXPRESS_VERSIONS } from '../helpers/test-app';
import { visibleText } from '../views/helpers';

const { smtp, twilio } = messagingServices();
const SECRET = 'test-secret-that-is-long-enough-to-pass-validation';
const PHONE = '+15005550006';
const NEW_PHONE = '+14155550100';

/** The users of the host, some with a language and a time zone of their own. */
const USERS: Record<string, UserIdentity> = {
  ann: { id: 'u-ann', email: 'ann@acme.test', accountId: 'acme' },
  dora: { id: 'u-dora', email: 'dora@acme.test', accountId: 'acme', locale: 'de-AT', timeZone: 'Europe/Berlin' },
  eva: { id: 'u-eva', email: 'eva@acme.test', accountId: 'acme', locale: 'es-MX' },
  fay: { id: 'u-fay', email: 'fay@acme.test', accountId: 'acme', locale: 'fr', timeZone: 'Not/AZone' },
  carl: { id: 'u-carl', email: 'carl@acme.test', accountId: 'acme' },
  slow: { id: 'u-slow', email: 'slow@acme.test', accountId: 'acme' },
};

type Agent = ReturnType<typeof request.agent>;
type Express = (typeof EXPRESS_VERSIONS)[number][1];

interface Host {
  app: ReturnType<Express>;
  twoFactor: DeviceTwoFactor;
  sessions: session.MemoryStore;
  store: MemoryStore;
  clock: { now: number };
}

async function build(express: Express, options: Partial<DeviceTwoFactorOptions> = {}): Promise<Host> {
  const store = new MemoryStore();
  const clock = { now: Date.UTC(2026, 10, 23, 18, 5) };
  for (const user of Object.values(USERS))
    await store.updateUserSettings(
      user.id,
      { enabled: true, method: 'email', phone: user.id === 'u-carl' ? null : PHONE },
      DEFAULT_USER_SETTINGS,
    );
  await store.updateUserSettings(USERS.carl!.id, { enabled: true, method: 'sms', phone: null }, DEFAULT_USER_SETTINGS);
  const twoFactor = deviceTwoFactor({
    secret: SECRET,
    users: {
      // The slow user's lookup never answers: the 503 page.
      find: (id) => (id === USERS.slow!.id ? new Promise(() => undefined) : Promise.resolve(Object.values(USERS).find((u) => u.id === id))),
    },
    store,
    email: { transport: smtp.url, from: '"Test" <security@test.example>' },
    twilio: { ...TWILIO_ACCOUNT, apiUrl: twilio.url },
    siteName: 'Test Site',
    cookie: { secure: false },
    development: true,
    resendWaitMs: 0,
    sendQuota: [{ windowMs: 60_000, max: 1000 }],
    sendLimits: { perPhone: [{ windowMs: 60_000, max: 1000 }], perIp: [{ windowMs: 60_000, max: 1000 }] },
    storeTimeoutMs: 300,
    now: () => clock.now,
    exempt: (req) => (req.headers.authorization === 'Bearer ann' ? { userId: USERS.ann!.id, client: 'api' } : false),
    ...options,
  });
  const sessions = new session.MemoryStore();
  const app = express();
  app.use(session({ secret: 's', resave: false, saveUninitialized: false, store: sessions }));
  app.use(twoFactor.router);
  app.use(twoFactor.guard);
  app.post('/login', express.urlencoded({ extended: false }), async (req, res) => {
    const user = Object.values(USERS).find((u) => u.email === req.body.email);
    if (!user) return void res.status(401).send('no');
    const outcome = await twoFactor.passwordVerified(req, res, user.id);
    if (outcome.status === 'exempt') res.json({ ok: true });
  });
  app.get('/api', (_req, res) => void res.json({ ok: true }));
  app.use(twoFactor.errorHandler);
  return { app, twoFactor, sessions, store, clock };
}

let host: Host | undefined;
beforeEach(() => {
  smtp.drain();
  twilio.drain();
});
afterEach(async () => {
  await host?.twoFactor.close();
  await host?.store.close();
  host = undefined;
});

/** An agent whose every request says `lang` in Accept-Language. */
function browser(app: Host['app'], acceptLanguage: string | undefined): Agent {
  const agent = request.agent(app);
  if (acceptLanguage !== undefined) agent.set('Accept-Language', acceptLanguage);
  return agent;
}

async function signIn(agent: Agent, user: UserIdentity): Promise<void> {
  expect((await agent.post('/login').type('form').send({ email: user.email })).headers.location).toBe('/2fa');
  const page = await agent.get('/2fa');
  const code = await smtp.nextCode(user.email);
  const done = await agent
    .post('/2fa/verify')
    .type('form')
    .send({ _csrf: csrfFrom(page.text), code, trust: '1' });
  expect(done.status).toBe(303);
  expect(done.headers.location).toBe('/');
}

const langOf = (page: string) => /<html lang="([^"]*)">/.exec(page)?.[1];
const heading = (page: string) => /<h1>([^<]*)<\/h1>/.exec(page)?.[1];

describe.each(EXPRESS_VERSIONS)('%s', (_name, express) => {
  describe('which language a request gets', () => {
    test.each([
      ['de-CH', 'de', 'Prüfen Sie Ihre E-Mails'],
      ['es-419', 'es', 'Revise su correo electrónico'],
      ['fr', 'en', 'Check your email'],
      ['fr-FR,fr;q=0.9,es;q=0.8,de;q=0.7', 'es', 'Revise su correo electrónico'],
      ['de;q=0.3, es;q=0.8, en;q=0.5', 'es', 'Revise su correo electrónico'],
      ['en-GB,de;q=0.9', 'en', 'Check your email'],
      ['*', 'en', 'Check your email'],
      [undefined, 'en', 'Check your email'],
    ])('Accept-Language %j → %s', async (header, lang, title) => {
      host = await build(express);
      const agent = browser(host.app, header);
      await agent.post('/login').type('form').send({ email: USERS.ann!.email });
      const page = (await agent.get('/2fa')).text;
      expect(langOf(page)).toBe(lang);
      expect(heading(page)).toBe(title);
    });

    test('the host’s locale(req) wins over Accept-Language; one the library has no table for, or none, leaves it to the header', async () => {
      host = await build(express, { locale: (req) => req.headers['x-lang'] as string | undefined });
      const agent = browser(host.app, 'de-DE');
      await agent.post('/login').type('form').send({ email: USERS.ann!.email });
      expect(langOf((await agent.get('/2fa').set('X-Lang', 'es')).text)).toBe('es');
      expect(langOf((await agent.get('/2fa').set('X-Lang', 'es-AR')).text)).toBe('es');
      expect(langOf((await agent.get('/2fa').set('X-Lang', 'ja')).text)).toBe('de');
      expect(langOf((await agent.get('/2fa')).text)).toBe('de');
    });

    test('a locale(req) that throws (a host bug) leaves the language to the header: the page, not a 500, and a log line', async () => {
      const logged: Array<[Record<string, unknown>, string]> = [];
      const logger = {
        warn: () => undefined,
        error: (context: Record<string, unknown>, message: string) => void logged.push([context, message]),
      };
      host = await build(express, {
        logger,
        locale: () => {
          throw new Error('profile lookup broke');
        },
      });
      const agent = browser(host.app, 'es');
      await agent.post('/login').type('form').send({ email: USERS.ann!.email });
      const page = await agent.get('/2fa');
      expect(page.status).toBe(200);
      expect(langOf(page.text)).toBe('es');
      expect(
        logged.some(
          ([context, message]) => message.includes('`locale(req)` threw') && (context.err as Error).message === 'profile lookup broke',
        ),
      ).toBe(true);
    });

    test('a hostile Accept-Language (7 kB of tags, broken quality values) answers at once, in English or what it names', async () => {
      host = await build(express);
      const agent = request.agent(host.app);
      await agent.post('/login').type('form').send({ email: USERS.ann!.email });
      const long = Array.from({ length: 600 }, (_, i) => `x${i}-yy;q=0.${i % 9}`).join(','); // ~7 kB: Node itself refuses headers over 16 kB
      const started = performance.now();
      const huge = await agent.get('/2fa').set('Accept-Language', long);
      expect(huge.status).toBe(200);
      expect(langOf(huge.text)).toBe('en');
      expect(performance.now() - started).toBeLessThan(1000);
      for (const odd of ['de;q=abc', ';;;,,,', 'de;q=-1, es', '\u00e9s', 'es;q=1;q=0', 'DE-ch']) {
        const page = await agent.get('/2fa').set('Accept-Language', odd);
        expect(page.status).toBe(200);
        expect(['en', 'de', 'es']).toContain(langOf(page.text));
      }
    });

    test('the JSON answers speak the request’s language too (a blocked client, the 503)', async () => {
      host = await build(express);
      await host.twoFactor.blockClients(USERS.ann!.id, true);
      const blocked = await request(host.app).get('/api').set('Authorization', 'Bearer ann').set('Accept-Language', 'de');
      expect(blocked.status).toBe(403);
      expect(blocked.body.message).toBe(de.clientBlockedByUser);
    });
  });

  describe.each([
    ['de', 'de-DE,de;q=0.9,en;q=0.5'],
    ['es', 'es-ES,es;q=0.9'],
  ] as const)('every page of the flows in %s', (lang, acceptLanguage) => {
    test('sign-in, its steps, the settings page and its steps, the message pages: each in the language, with no English', async () => {
      host = await build(express);
      const { app } = host;
      const pages: Array<{ name: string; status: number; text: string }> = [];
      const seen = async (name: string, response: Promise<request.Response> | request.Response, status = 200): Promise<string> => {
        const res = await response;
        expect({ name, status: res.status }).toEqual({ name, status });
        pages.push({ name, status: res.status, text: res.text });
        return res.text;
      };
      const follow = async (name: string, agent: Agent, posted: Promise<request.Response>, to: string): Promise<string> => {
        const res = await posted;
        expect({ name, status: res.status, location: res.headers.location }).toEqual({ name, status: 303, location: to });
        return seen(name, agent.get(to));
      };
      const ann = USERS.ann!;
      const agent = browser(app, acceptLanguage);

      // ---- Sign-in: the code page and what its forms lead to ----
      await agent.post('/login').type('form').send({ email: ann.email });
      let page = await seen('verify page', agent.get('/2fa'));
      const csrf = csrfFrom(page);
      await smtp.nextCode(ann.email);
      await seen('a wrong code', agent.post('/2fa/verify').type('form').send({ _csrf: csrf, code: '000000' }), 400);
      await seen('a malformed code', agent.post('/2fa/verify').type('form').send({ _csrf: csrf, code: 'abc' }), 400);
      await follow('a new code', agent, agent.post('/2fa/resend').type('form').send({ _csrf: csrf }), '/2fa');
      await smtp.nextCode(ann.email);
      await follow('by text message', agent, agent.post('/2fa/resend').type('form').send({ _csrf: csrf, method: 'sms' }), '/2fa');
      await twilio.nextSms(PHONE);
      await follow('by a call', agent, agent.post('/2fa/resend').type('form').send({ _csrf: csrf, method: 'voice' }), '/2fa');
      await twilio.nextCall(PHONE);
      await seen('a wrong recovery code', agent.post('/2fa/recovery').type('form').send({ _csrf: csrf, recoveryCode: 'nope-nope' }), 400);
      await seen('a form without its token', agent.post('/2fa/verify').type('form').send({ _csrf: 'forged', code: '123456' }), 403);
      await follow('back to email', agent, agent.post('/2fa/resend').type('form').send({ _csrf: csrf, method: 'email' }), '/2fa');
      const code = await smtp.nextCode(ann.email);
      expect((await agent.post('/2fa/verify').type('form').send({ _csrf: csrf, code, trust: '1' })).headers.location).toBe('/');

      // ---- The settings page and its steps ----
      page = await seen('settings page', agent.get('/2fa/settings'));
      const token = csrfFrom(page);
      await follow(
        're-authentication before a change',
        agent,
        agent.post('/2fa/settings/method').type('form').send({ _csrf: token, method: 'voice' }),
        '/2fa/settings',
      );
      const reauthCode = await smtp.nextCode(ann.email);
      await seen(
        'a wrong re-authentication code',
        agent.post('/2fa/settings/verify').type('form').send({ _csrf: token, code: '000000' }),
        400,
      );
      const settle = await agent.post('/2fa/settings/verify').type('form').send({ _csrf: token, code: reauthCode, endOthers: '1' });
      expect(settle.status).toBe(303);
      page = await seen('the method changed', agent.get('/2fa/settings'));
      const fresh = csrfFrom(page);
      await follow(
        'a new phone number',
        agent,
        agent.post('/2fa/settings/phone/start').type('form').send({ _csrf: fresh }),
        '/2fa/settings',
      );
      await seen(
        'a number that is none',
        agent.post('/2fa/settings/phone').type('form').send({ _csrf: fresh, phone: '12', method: 'sms' }),
        400,
      );
      await follow(
        'its code',
        agent,
        agent.post('/2fa/settings/phone').type('form').send({ _csrf: fresh, phone: NEW_PHONE, method: 'sms' }),
        '/2fa/settings',
      );
      await twilio.nextSms(NEW_PHONE);
      await follow('cancelled', agent, agent.post('/2fa/settings/cancel').type('form').send({ _csrf: fresh }), '/2fa/settings');
      await follow(
        'an authenticator app to set up',
        agent,
        agent.post('/2fa/settings/methods/add').type('form').send({ _csrf: fresh, method: 'totp' }),
        '/2fa/settings',
      );
      await seen(
        'its wrong code',
        agent.post('/2fa/settings/enrol').type('form').send({ _csrf: fresh, code: '000000', label: 'Pixel' }),
        400,
      );
      await follow('cancelled again', agent, agent.post('/2fa/settings/cancel').type('form').send({ _csrf: fresh }), '/2fa/settings');
      await follow(
        'a passkey to add',
        agent,
        agent.post('/2fa/settings/methods/add').type('form').send({ _csrf: fresh, method: 'passkey' }),
        '/2fa/settings',
      );
      await seen(
        'a passkey answer that is none',
        agent.post('/2fa/settings/enrol').type('form').send({ _csrf: fresh, credential: '{' }),
        400,
      );
      await agent.post('/2fa/settings/cancel').type('form').send({ _csrf: fresh });
      await seen('recovery codes', agent.post('/2fa/settings/recovery-codes').type('form').send({ _csrf: fresh }));
      await follow(
        'browsers revoked',
        agent,
        agent.post('/2fa/settings/devices/revoke-all').type('form').send({ _csrf: fresh }),
        '/2fa/settings',
      );
      await follow(
        'no other sessions',
        agent,
        agent.post('/2fa/settings/sessions/end-others').type('form').send({ _csrf: fresh }),
        '/2fa/settings',
      );
      await follow(
        'apps blocked',
        agent,
        agent.post('/2fa/settings/clients').type('form').send({ _csrf: fresh, blocked: '1' }),
        '/2fa/settings',
      );
      await follow(
        'email codes off',
        agent,
        agent.post('/2fa/settings/email-codes').type('form').send({ _csrf: fresh, allowed: '0' }),
        '/2fa/settings',
      );
      await seen('the development outbox', agent.get('/2fa/outbox'));

      // ---- A first phone at sign-in: the proof by email, the number, its code ----
      const carl = browser(app, acceptLanguage);
      await carl.post('/login').type('form').send({ email: USERS.carl!.email });
      page = await seen('proof before a first phone', carl.get('/2fa'));
      const carlCsrf = csrfFrom(page);
      const proof = await smtp.nextCode(USERS.carl!.email);
      await follow('the phone form at sign-in', carl, carl.post('/2fa/verify').type('form').send({ _csrf: carlCsrf, code: proof }), '/2fa');
      await seen(
        'a number of no country',
        carl.post('/2fa/phone').type('form').send({ _csrf: carlCsrf, phone: '+881 6 1234 5678', method: 'sms' }),
        400,
      );
      await follow(
        'the phone code at sign-in',
        carl,
        carl.post('/2fa/phone').type('form').send({ _csrf: carlCsrf, phone: NEW_PHONE, method: 'sms' }),
        '/2fa',
      );
      await seen('its wrong code', carl.post('/2fa/verify').type('form').send({ _csrf: carlCsrf, code: '000000' }), 400);

      // ---- The message pages ----
      const anyone = browser(app, acceptLanguage);
      await seen('not found', anyone.get('/2fa/nothing-here'), 404);
      await seen('not allowed', anyone.delete('/2fa/settings'), 405);
      await seen('a malformed address', anyone.get('/2fa/%E0%A4%A'), 400);
      await seen('a post from another site', anyone.post('/2fa/verify').set('Origin', 'https://evil.test').type('form').send({}), 403);
      await seen('a form not urlencoded', agent.post('/2fa/settings/method').set('Content-Type', 'application/json').send('{}'), 415);
      await seen(
        'a form too large',
        agent
          .post('/2fa/settings/method')
          .type('form')
          .send({ _csrf: fresh, x: 'y'.repeat(9000) }),
        413,
      );
      await seen('a client blocked by the user', anyone.get('/api').set('Authorization', 'Bearer ann').set('Accept', 'text/html'), 403);
      const late = browser(app, acceptLanguage);
      await late.post('/login').type('form').send({ email: ann.email });
      host.clock.now += 11 * 60_000;
      await seen('a sign-in that expired', late.get('/2fa'), 401);
      await seen(
        'the store does not answer',
        browser(app, acceptLanguage).post('/login').type('form').send({ email: USERS.slow!.email }),
        503,
      );

      for (const { name, text } of pages) {
        if (!text.startsWith('<!doctype html>')) continue;
        expect({ name, lang: langOf(text) }).toEqual({ name, lang });
        const readable = `${visibleText(text)} ${[...text.matchAll(/\s(?:aria-label|data-passkey-text)="([^"]*)"/g)].map((m) => visibleText(m[1] ?? '')).join(' ')}`;
        expect({ name, english: englishIn(readable, lang) }).toEqual({ name, english: [] });
        expect({ name, missing: /undefined|NaN|\[object/.test(readable) }).toEqual({ name, missing: false });
      }
      // Every kind of page was seen (redirects followed): the list above is the flows' pages.
      expect(pages.filter((p) => p.text.startsWith('<!doctype html>')).length).toBeGreaterThanOrEqual(40);
    });
  });

  describe('messages sent out of band go in the user’s language', () => {
    test('a user with a language of their own: the email code, the SMS and the call in it, whatever the browser asks', async () => {
      host = await build(express);
      const dora = USERS.dora!;
      const agent = browser(host.app, 'en-US,en;q=0.9');
      await agent.post('/login').type('form').send({ email: dora.email });
      const page = await agent.get('/2fa');
      expect(langOf(page.text)).toBe('en'); // the page follows the browser
      const mail = await smtp.nextMessage(dora.email, 5000, (m) => /^\d{6} /.test(m.subject));
      expect(mail.subject).toMatch(/^\d{6} ist Ihr Bestätigungscode für Test Site$/);
      expect(mail.html).toContain('<html lang="de">');
      expect(mail.text).toContain('Mit diesem Code schließen Sie Ihre Anmeldung bei Test Site ab:');
      const csrf = csrfFrom(page.text);
      await agent.post('/2fa/resend').type('form').send({ _csrf: csrf, method: 'sms' });
      const sms = await twilio.nextSms(PHONE);
      expect(sms.body).toMatch(/^\d{6} ist Ihr Bestätigungscode für Test Site\. Er läuft in 10 Minuten ab\. Geben Sie ihn nicht weiter\.$/);
      await agent.post('/2fa/resend').type('form').send({ _csrf: csrf, method: 'voice' });
      const call = await twilio.nextCall(PHONE);
      expect(call.twiml).toContain('<Say voice="alice" language="de-DE">Ihr Bestätigungscode für Test Site lautet:');
      expect(call.twiml).not.toContain('en-US');
      const eva = USERS.eva!;
      await browser(host.app, 'de').post('/login').type('form').send({ email: eva.email });
      expect((await smtp.nextMessage(eva.email, 5000, (m) => /^\d{6} /.test(m.subject))).subject).toMatch(
        /^\d{6} es su código de verificación de Test Site$/,
      );
    });

    test('a user without one (or with one the library has no table for): the language of the request that caused it, else English', async () => {
      host = await build(express);
      await browser(host.app, 'es-419').post('/login').type('form').send({ email: USERS.ann!.email });
      expect((await smtp.nextMessage(USERS.ann!.email, 5000, (m) => /^\d{6} /.test(m.subject))).subject).toMatch(
        /^\d{6} es su código de verificación de Test Site$/,
      );
      // Fay's own language (fr) is none the library has: the request's, German.
      await browser(host.app, 'de').post('/login').type('form').send({ email: USERS.fay!.email });
      expect((await smtp.nextMessage(USERS.fay!.email, 5000, (m) => /^\d{6} /.test(m.subject))).subject).toMatch(
        /^\d{6} ist Ihr Bestätigungscode für Test Site$/,
      );
      // A request with no language of its own and a user with none: English.
      await browser(host.app, undefined).post('/login').type('form').send({ email: USERS.carl!.email });
      expect((await smtp.nextMessage(USERS.carl!.email, 5000, (m) => /^\d{6} /.test(m.subject))).subject).toMatch(
        /^\d{6} is your Test Site verification code$/,
      );
      // Sent by the host with no request (an admin's change): the user's own, else English.
      await host.twoFactor.admin('acme').resetPhone(USERS.ann!.id);
      expect((await smtp.nextNotice(USERS.ann!.email)).subject).toBe('Your Test Site phone number was changed');
      await host.twoFactor.admin('acme').resetPhone(USERS.dora!.id);
      expect((await smtp.nextNotice(USERS.dora!.email)).subject).toBe('Ihre Telefonnummer bei Test Site wurde geändert');
    });

    test('security emails in the user’s language and time zone (an unknown zone: the timeZone option)', async () => {
      host = await build(express, { timeZone: 'America/New_York' });
      await signIn(browser(host.app, 'en'), USERS.dora!);
      const trusted = await smtp.nextMessage(USERS.dora!.email, 5000, (m) => m.subject.startsWith('Ihr Konto bei Test Site vertraut'));
      expect(trusted.text).toContain('Wann: 23. Nov. 2026, 19:05 MEZ');
      expect(trusted.html).toContain('<html lang="de">');
      await signIn(browser(host.app, 'es'), USERS.fay!);
      const fays = await smtp.nextMessage(USERS.fay!.email, 5000, (m) => m.subject.startsWith('Un navegador nuevo'));
      // Not/AZone is no zone: New York's time, in the request's language (fr has no table).
      expect(fays.text).toContain('Cuándo: 23 nov 2026, 13:05 GMT-5');
    });

    test('the settings page shows times in the user’s zone; a zone the runtime does not know is no 500', async () => {
      host = await build(express);
      const dora = browser(host.app, 'de');
      await signIn(dora, USERS.dora!);
      expect(visibleText((await dora.get('/2fa/settings')).text)).toContain('Angemeldet 23. Nov. 2026, 19:05 MEZ');
      const fay = browser(host.app, 'en');
      await signIn(fay, USERS.fay!);
      const page = await fay.get('/2fa/settings');
      expect(page.status).toBe(200);
      expect(visibleText(page.text)).toContain('Signed in 23 Nov 2026, 18:05 UTC');
    });
  });

  describe('the session holds no rendered text', () => {
    test('a message for the next page is kept by key and worded when shown, in the language of the page that shows it', async () => {
      host = await build(express);
      const agent = browser(host.app, 'de');
      await signIn(agent, USERS.ann!);
      const token = csrfFrom((await agent.get('/2fa/settings')).text);
      expect((await agent.post('/2fa/settings/devices/revoke-all').type('form').send({ _csrf: token })).status).toBe(303);
      const stored = await storedSessions(host);
      const notices = stored.map((s) => (s.deviceTwoFactor as { notice?: unknown } | undefined)?.notice).filter(Boolean);
      expect(notices).toEqual([{ kind: 'info', message: { key: 'devicesRevoked', args: [1] } }]);
      expectNoSentence(JSON.stringify(stored));
      // Shown in the language of the page that shows it, whatever language asked for it.
      const shown = await agent.get('/2fa/settings').set('Accept-Language', 'es');
      expect(visibleText(shown.text)).toContain('Aviso: 1 navegador ya no es de confianza.');
    });

    test('through a sign-in (a new code, a change of way) and the settings (a method chosen, a refused enrolment): no sentence of any language is stored', async () => {
      host = await build(express);
      const agent = browser(host.app, 'es');
      await agent.post('/login').type('form').send({ email: USERS.ann!.email });
      const csrf = csrfFrom((await agent.get('/2fa')).text);
      await agent.post('/2fa/resend').type('form').send({ _csrf: csrf });
      await agent.post('/2fa/resend').type('form').send({ _csrf: csrf, method: 'sms' });
      expectNoSentence(JSON.stringify(await storedSessions(host)));
      const notice = (await storedSessions(host))[0]?.deviceTwoFactor as { notice?: unknown };
      expect(notice.notice).toEqual({ kind: 'info', message: { method: 'sms', key: 'newCodeSent' } });
      await agent.get('/2fa');
      smtp.drain();
      await agent.post('/2fa/resend').type('form').send({ _csrf: csrf, method: 'email' });
      expect(
        (
          await agent
            .post('/2fa/verify')
            .type('form')
            .send({ _csrf: csrf, code: await smtp.nextCode(USERS.ann!.email) })
        ).status,
      ).toBe(303);
      const token = csrfFrom((await agent.get('/2fa/settings')).text);
      await agent.post('/2fa/settings/method').type('form').send({ _csrf: token, method: 'email' });
      expectNoSentence(JSON.stringify(await storedSessions(host)));
    });

    test('a notice stored as text by an earlier release is not shown, and the page still answers', async () => {
      host = await build(express);
      const agent = browser(host.app, 'de');
      await agent.post('/login').type('form').send({ email: USERS.ann!.email });
      const [id] = Object.keys(await allSessions(host));
      const data = (await allSessions(host))[id!] as Record<string, { notice?: unknown }>;
      data.deviceTwoFactor!.notice = { kind: 'info', text: 'We sent a new code.' };
      await new Promise<void>((resolve, reject) => host!.sessions.set(id!, data as never, (error) => (error ? reject(error) : resolve())));
      const page = await agent.get('/2fa');
      expect(page.status).toBe(200);
      expect(page.text).not.toContain('We sent a new code.');
      expect(page.text).not.toContain('class="notice');
    });
  });
});

describe('the strings option', () => {
  const express = EXPRESS_VERSIONS[1][1];

  test('a host’s words replace the shipped ones in that language only, the methods’ too', async () => {
    host = await build(express, {
      strings: {
        de: { verifyTitle: 'Anmeldung bestätigen', methods: { email: { heading: 'Schauen Sie ins Postfach' } } },
        en: { signOutButton: 'Leave' },
      },
    });
    const agent = browser(host.app, 'de');
    await agent.post('/login').type('form').send({ email: USERS.ann!.email });
    const german = (await agent.get('/2fa')).text;
    expect(german).toContain('<title>Anmeldung bestätigen · Test Site</title>');
    expect(heading(german)).toBe('Schauen Sie ins Postfach');
    expect(german).toContain('Abbrechen und abmelden');
    const english = (await agent.get('/2fa').set('Accept-Language', 'en')).text;
    expect(english).toContain(`<title>${en.verifyTitle} · Test Site</title>`);
    expect(english).toContain('>Leave</button>');
  });

  test('a whole new language: negotiated like the shipped ones, its messages sent to users who speak it', async () => {
    const fr = frenchTable();
    host = await build(express, { strings: { fr } });
    const agent = browser(host.app, 'fr-CA,fr;q=0.9');
    await agent.post('/login').type('form').send({ email: USERS.fay!.email });
    const page = (await agent.get('/2fa')).text;
    expect(langOf(page)).toBe('fr');
    expect(heading(page)).toBe('[fr] Check your email');
    const mail = await smtp.nextMessage(USERS.fay!.email, 5000, (m) => /\d{6}/.test(m.subject));
    expect(mail.subject).toMatch(/^\[fr\] \d{6} is your Test Site verification code$/);
    expect(mail.html).toContain('<html lang="fr">');
  });

  test.each([
    ['a typo', { de: { verifyTitel: 'x' } }, 'Unknown option `strings.de.verifyTitel`. Did you mean `strings.de.verifyTitle`?'],
    [
      'a nested typo',
      { de: { sessionWarning: { stya: 'x' } } },
      'Unknown option `strings.de.sessionWarning.stya`. Did you mean `strings.de.sessionWarning.stay`?',
    ],
    [
      'no such method',
      { de: { methods: { totpp: {} } } },
      '`strings.de.methods.totpp` is not a method. Use one of: email, sms, voice, totp, passkey.',
    ],
    [
      'a typo in a method’s words',
      { es: { methods: { totp: { lable: 'x' } } } },
      'Unknown option `strings.es.methods.totp.lable`. Did you mean `strings.es.methods.totp.label`?',
    ],
    [
      'a sentence for a function',
      { de: { trustLabel: 'Vertrauen' } },
      '`strings.de.trustLabel` must be a function, as in the English table',
    ],
    ['an empty sentence', { de: { verifyTitle: '  ' } }, '`strings.de.verifyTitle` must be a non-empty string.'],
    ['a date locale that is none', { de: { intlLocale: 'not a tag' } }, '`strings.de.intlLocale` must be the BCP 47 tag'],
    ['a language tag as Intl does not write it', { 'pt-br': {} }, 'did you mean "pt-BR"?'],
    ['a new language in part', { fr: { verifyTitle: 'Vérifiez' } }, '`strings.fr` is missing `intlLocale`, `voiceLanguage`,'],
    [
      'a new language without a method’s words',
      { fr: { ...frenchTable(), methods: { ...frenchTable().methods, passkey: undefined } } },
      "`strings.fr.methods.passkey` is missing: a language the library does not ship needs every method's words too",
    ],
    ['not an object', 'de', '`strings` must be an object of languages'],
  ])('refused at start-up: %s', async (_what, strings, message) => {
    await expect(build(express, { strings } as never)).rejects.toThrow(message);
  });

  test('count forms may name any plural category a language has', async () => {
    host = await build(express, {
      strings: { de: { sessionWarning: { endsInMinutes: { few: 'Noch {n} Minuten.', other: 'Noch {n} Minuten!' } } } },
    });
    await expect(build(express, { strings: { de: { sessionWarning: { endsInMinutes: { sevral: 'x' } } } } } as never)).rejects.toThrow(
      'Unknown option `strings.de.sessionWarning.endsInMinutes.sevral`',
    );
  });

  test('timeZone is checked at start-up', async () => {
    await expect(build(express, { timeZone: 'Mars/Olympus' })).rejects.toThrow(
      '`timeZone` must be an IANA time zone this Node.js knows, such as "Europe/Berlin" or "UTC" (got "Mars/Olympus").',
    );
  });
});

/** A full table for a language the library does not ship: the English one, each sentence marked. */
function frenchTable(): NonNullable<DeviceTwoFactorOptions['strings']>[string] & { methods: Record<string, unknown> } {
  const mark = (value: unknown): unknown => {
    if (typeof value === 'string') return `[fr] ${value}`;
    if (typeof value === 'function') return (...args: unknown[]) => `[fr] ${(value as (...a: unknown[]) => string)(...args)}`;
    if (Array.isArray(value)) return value.map(mark);
    if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mark(v)]));
    return value;
  };
  const table = mark(en) as Record<string, unknown>;
  return {
    ...table,
    intlLocale: 'fr-FR',
    voiceLanguage: 'fr-FR',
    methods: Object.fromEntries(METHODS.map((m) => [m.id, mark(m.strings.en)])),
  } as never;
}

async function allSessions(of: Host): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) =>
    of.sessions.all((error, all) => (error ? reject(error) : resolve((all ?? {}) as Record<string, unknown>))),
  );
}

async function storedSessions(of: Host): Promise<Array<Record<string, unknown>>> {
  return Object.values(await allSessions(of)) as Array<Record<string, unknown>>;
}

/** No sentence of any shipped language (of more than a couple of words) is in `json`. */
function expectNoSentence(json: string): void {
  const sentences = ['en', 'de', 'es'].flatMap((lang) => [...allSentences(lang).values()]).filter((text) => text.split(' ').length > 2);
  expect(sentences.filter((text) => json.includes(JSON.stringify(text).slice(1, -1)))).toEqual([]);
}
