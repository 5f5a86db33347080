import request from 'supertest';
import { EnforcedByAccountError, ForbiddenError, MemoryStore, type TwoFactorEvent } from '../../src';
import { RedisStore } from '../../src/redis';
import { DEFAULT_USER_SETTINGS } from '../../src/core/policy';
import { startRedis, type TestRedis } from '../helpers/redis-server';
import { startSmtpServer, type TestSmtpServer } from '../helpers/smtp-server';
import { createTestApp, csrfFrom, TEST_USERS, type TestApp } from '../helpers/test-app';

const CHROME_MAC = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
const FIREFOX_WIN = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0';

let smtp: TestSmtpServer;
beforeAll(async () => {
  smtp = await startSmtpServer();
});
afterAll(() => smtp.stop());

type Agent = ReturnType<typeof request.agent>;

let host: TestApp;
let store: MemoryStore;
let now: number;
let events: TwoFactorEvent[];

beforeEach(async () => {
  smtp.drain();
  now = Date.now();
  events = [];
  store = new MemoryStore();
  host = createTestApp({
    smtpUrl: smtp.url,
    options: {
      store,
      now: () => now,
      onEvent: (e) => void events.push(e),
      placeHint: (req) => `${req.ip?.split(':').pop()?.split('.').slice(0, 2).join('.')}.x.x`,
    },
  });
  await host.twoFactor.enforceAccount('acme');
});
afterEach(async () => {
  await host.twoFactor.close();
  await store.close();
});

/** Signs `email` in on a browser with `userAgent`, ticking "trust this browser"; returns the agent. */
async function signInTrusting(email: string, userAgent: string, agent: Agent = request.agent(host.app)): Promise<Agent> {
  await agent.post('/login').set('User-Agent', userAgent).type('form').send({ email, password: 'right' });
  const code = await smtp.nextCode(email);
  const token = csrfFrom((await agent.get('/2fa')).text);
  const done = await agent.post('/2fa/verify').set('User-Agent', userAgent).type('form').send({ code, trust: '1', _csrf: token });
  expect(done.status).toBe(303);
  now += 31_000;
  return agent;
}

async function passwordStep(agent: Agent, email: string) {
  await agent.post('/2fa/sign-out').type('form').send({}); // fresh session, same browser (cookie jar)
  return (await agent.post('/login').type('form').send({ email, password: 'right' })).headers.location;
}

describe('trusted devices, seen and revoked', () => {
  test('two trusted browsers are listed with labels; revoking one challenges it and not the other; revoke all', async () => {
    const chrome = await signInTrusting('alice@acme.test', CHROME_MAC);
    const firefox = await signInTrusting('alice@acme.test', FIREFOX_WIN);
    const devices = await host.twoFactor.listDevices(TEST_USERS.alice!.id);
    expect(devices.map((d) => d.label).sort()).toEqual(['Chrome 131 (Mac OS)', 'Firefox 133 (Windows)']);
    expect(devices[0]!.placeHint).toMatch(/\.x\.x$/);

    // The settings page lists both and marks this browser.
    const page = await chrome.get('/2fa/settings');
    expect(page.status).toBe(200);
    expect(page.text).toContain('Chrome 131 (Mac OS)');
    expect(page.text).toContain('Firefox 133 (Windows)');
    expect(page.text).toContain('This browser');
    const firefoxDevice = devices.find((d) => d.label.startsWith('Firefox'))!;
    const revoked = await chrome
      .post('/2fa/settings/devices/revoke')
      .type('form')
      .send({ _csrf: csrfFrom(page.text), deviceId: firefoxDevice.id });
    expect(revoked.status).toBe(303);
    expect(events.find((e) => e.type === 'device.revoked')).toMatchObject({ deviceId: firefoxDevice.id, by: { kind: 'user' } });

    expect(await passwordStep(firefox, 'alice@acme.test')).toBe('/2fa');
    expect(await passwordStep(chrome, 'alice@acme.test')).toBe('/');

    const again = await chrome.get('/2fa/settings');
    expect(
      (
        await chrome
          .post('/2fa/settings/devices/revoke-all')
          .type('form')
          .send({ _csrf: csrfFrom(again.text) })
      ).status,
    ).toBe(303);
    expect(await host.twoFactor.listDevices(TEST_USERS.alice!.id)).toEqual([]);
    expect(await passwordStep(chrome, 'alice@acme.test')).toBe('/2fa');
  });

  test("revoking a device id of another user's does nothing", async () => {
    await signInTrusting('alice@acme.test', CHROME_MAC);
    const bob = await signInTrusting('bob@acme.test', FIREFOX_WIN);
    const [aliceDevice] = await host.twoFactor.listDevices(TEST_USERS.alice!.id);
    const token = csrfFrom((await bob.get('/2fa/settings')).text);
    await bob.post('/2fa/settings/devices/revoke').type('form').send({ _csrf: token, deviceId: aliceDevice!.id });
    expect(await host.twoFactor.listDevices(TEST_USERS.alice!.id)).toHaveLength(1);
  });

  test('a new trusted browser is announced to the user by email', async () => {
    await signInTrusting('alice@acme.test', CHROME_MAC);
    const notice = await smtp.nextNotice('alice@acme.test');
    expect(notice.text).toContain('Chrome 131 (Mac OS)');
  });
});

describe('revocation on a second app instance sharing Redis', () => {
  let redis: TestRedis;
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(() => redis.stop());

  test('a device trusted through one instance and revoked through the other is challenged on both', async () => {
    const prefix = `two${Date.now()}:`;
    const one = createTestApp({ smtpUrl: smtp.url, options: { store: new RedisStore({ client: redis.client(), prefix }) } });
    const two = createTestApp({ smtpUrl: smtp.url, options: { store: new RedisStore({ client: redis.client(), prefix }) } });
    await one.twoFactor.enforceAccount('acme');
    const agent = request.agent(one.app);
    await agent.post('/login').type('form').send({ email: 'alice@acme.test', password: 'right' });
    const code = await smtp.nextCode('alice@acme.test');
    const done = await agent
      .post('/2fa/verify')
      .type('form')
      .send({ code, trust: '1', _csrf: csrfFrom((await agent.get('/2fa')).text) });
    const cookie = ([] as string[])
      .concat(done.headers['set-cookie'] ?? [])
      .find((c) => c.startsWith('device_2fa='))!
      .split(';')[0]!;
    const signIn = (app: TestApp) =>
      request(app.app).post('/login').set('Cookie', cookie).type('form').send({ email: 'alice@acme.test', password: 'right' });
    expect((await signIn(two)).headers.location).toBe('/');
    const [device] = await two.twoFactor.listDevices(TEST_USERS.alice!.id);
    expect(await two.twoFactor.revokeDevice(TEST_USERS.alice!.id, device!.id)).toBe(true);
    expect((await signIn(one)).headers.location).toBe('/2fa');
    expect((await signIn(two)).headers.location).toBe('/2fa');
    await one.twoFactor.close();
    await two.twoFactor.close();
  });
});

describe('admin operations are scoped to the admin’s account', () => {
  const admin = (account: string) => ({ 'x-admin-account': account, 'Content-Type': 'application/json' });

  test('an acme admin lists acme users with their 2FA state', async () => {
    await store.updateUserSettings(TEST_USERS.bob!.id, { method: 'sms', phone: '+15005550006' }, DEFAULT_USER_SETTINGS);
    const list = await request(host.app).get('/admin/2fa/users').set(admin('acme'));
    expect(list.status).toBe(200);
    expect(list.body.map((u: { email: string }) => u.email).sort()).toEqual(['alice@acme.test', 'bob@acme.test']);
    expect(list.body.find((u: { email: string }) => u.email === 'bob@acme.test')).toMatchObject({
      required: true,
      method: 'sms',
      phone: '•••• 0006',
      deviceCount: 0,
    });
    expect(JSON.stringify(list.body)).not.toContain('+15005550006');
  });

  test('an acme admin cannot read, switch, reset or revoke anything of a globex user (403)', async () => {
    const carol = TEST_USERS.carol!.id;
    const attempts = [
      request(host.app).get(`/admin/2fa/users/${carol}`).set(admin('acme')),
      request(host.app).put(`/admin/2fa/users/${carol}/2fa`).set(admin('acme')).send({ enabled: true }),
      request(host.app).post(`/admin/2fa/users/${carol}/phone/reset`).set(admin('acme')).send({}),
      request(host.app).get(`/admin/2fa/users/${carol}/devices`).set(admin('acme')),
      request(host.app).delete(`/admin/2fa/users/${carol}/devices`).set(admin('acme')),
      request(host.app).delete(`/admin/2fa/users/${carol}/devices/some-id`).set(admin('acme')),
      request(host.app).get('/admin/2fa/users/no-such-user').set(admin('acme')),
    ];
    for (const response of await Promise.all(attempts)) {
      expect(response.status).toBe(403);
      expect(response.body.error).toBe('ERR_2FA_FORBIDDEN');
    }
    expect((await store.getUserSettings(carol))?.enabled ?? false).toBe(false);
    await expect(host.twoFactor.admin('acme').setUserEnabled(carol, true)).rejects.toThrow(ForbiddenError);
  });

  test('switching a user on and off; off is refused while the account enforces 2FA', async () => {
    const dan = TEST_USERS.dan!.id;
    const on = await request(host.app).put(`/admin/2fa/users/${dan}/2fa`).set(admin('globex')).send({ enabled: true });
    expect(on.status).toBe(200);
    expect(on.body).toMatchObject({ enabled: true, required: true });
    expect(events.find((e) => e.type === 'user.2fa-switched')).toMatchObject({
      enabled: true,
      by: { kind: 'admin', adminId: 'test-admin' },
    });
    const off = await request(host.app).put(`/admin/2fa/users/${TEST_USERS.alice!.id}/2fa`).set(admin('acme')).send({ enabled: false });
    expect(off.status).toBe(409);
    await expect(host.twoFactor.admin('acme').setUserEnabled(TEST_USERS.alice!.id, false)).rejects.toThrow(EnforcedByAccountError);
    const notJson = await request(host.app)
      .put(`/admin/2fa/users/${dan}/2fa`)
      .set('x-admin-account', 'globex')
      .type('form')
      .send({ enabled: 'false' });
    expect(notJson.status).toBe(400);
    const broken = await request(host.app).put(`/admin/2fa/users/${dan}/2fa`).set(admin('globex')).send('{"enabled":');
    expect(broken.status).toBe(400);
  });

  test('enforcement: enabled by an admin, every user of the account is challenged, and it cannot be disabled', async () => {
    expect(
      (await request(host.app).post('/login').type('form').send({ email: 'dan@globex.test', password: 'right' })).headers.location,
    ).toBe('/');
    const enable = await request(host.app).post('/admin/2fa/account/enforce').set(admin('globex')).send({});
    expect(enable.status).toBe(200);
    expect(enable.body.enforced).toBe(true);
    expect(
      (await request(host.app).post('/login').type('form').send({ email: 'dan@globex.test', password: 'right' })).headers.location,
    ).toBe('/2fa');
    const disable = await request(host.app).delete('/admin/2fa/account/enforce').set(admin('globex'));
    expect(disable.status).toBe(409);
    expect(disable.body.error).toBe('ERR_2FA_ENFORCEMENT_ONE_WAY');
    expect((await store.ensureAccountSettings('globex', { enforced: false, enforcedAt: null })).enforced).toBe(true);
    expect(events.filter((e) => e.type === 'enforcement.enabled' && e.accountId === 'globex')).toHaveLength(1);
  });

  test('resetting a phone falls back to email and tells the user', async () => {
    await store.updateUserSettings(TEST_USERS.bob!.id, { method: 'sms', phone: '+15005550006' }, DEFAULT_USER_SETTINGS);
    const reset = await request(host.app).post(`/admin/2fa/users/${TEST_USERS.bob!.id}/phone/reset`).set(admin('acme')).send({});
    expect(reset.status).toBe(200);
    expect(reset.body).toMatchObject({ phone: null, method: 'email' });
    await smtp.nextNotice('bob@acme.test');
  });

  test('an admin revokes a user’s devices', async () => {
    await signInTrusting('alice@acme.test', CHROME_MAC);
    const devices = await request(host.app).get(`/admin/2fa/users/${TEST_USERS.alice!.id}/devices`).set(admin('acme'));
    expect(devices.body).toHaveLength(1);
    const revoked = await request(host.app)
      .delete(`/admin/2fa/users/${TEST_USERS.alice!.id}/devices/${devices.body[0].id}`)
      .set(admin('acme'));
    expect(revoked.body).toEqual({ revoked: true });
    expect(events.find((e) => e.type === 'device.revoked')).toMatchObject({ by: { kind: 'admin', adminId: 'test-admin' } });
  });
});

describe('recovery codes', () => {
  async function aliceWithRecoveryCodes(): Promise<{ agent: Agent; codes: string[] }> {
    const agent = await signInTrusting('alice@acme.test', CHROME_MAC);
    const token = csrfFrom((await agent.get('/2fa/settings')).text);
    // New codes need a fresh code first (re-authentication).
    expect((await agent.post('/2fa/settings/recovery-codes').type('form').send({ _csrf: token })).status).toBe(303);
    const reauth = await smtp.nextCode('alice@acme.test');
    const page = await agent.post('/2fa/settings/verify').type('form').send({ _csrf: token, code: reauth });
    expect(page.status).toBe(200);
    expect(page.headers['cache-control']).toBe('no-store');
    const codes = [...page.text.matchAll(/<li>([a-z2-9]{5}-[a-z2-9]{5})<\/li>/g)].map((m) => m[1]!);
    expect(new Set(codes).size).toBe(10);
    await host.twoFactor.revokeAllDevices(TEST_USERS.alice!.id);
    return { agent: request.agent(host.app), codes };
  }

  async function pendingAlice(agent: Agent) {
    await agent.post('/login').type('form').send({ email: 'alice@acme.test', password: 'right' });
    return csrfFrom((await agent.get('/2fa')).text);
  }

  test('each works once in place of a code, is announced, and the old set dies on regeneration', async () => {
    const { codes } = await aliceWithRecoveryCodes();
    const agent = request.agent(host.app);
    const token = await pendingAlice(agent);
    expect((await agent.post('/2fa/recovery').type('form').send({ _csrf: token, recoveryCode: codes[0]!.toUpperCase() })).status).toBe(303);
    expect(events.find((e) => e.type === 'recovery.used')).toMatchObject({ remaining: 9 });
    const mails = smtp.messages.length;
    await smtp.nextNotice('alice@acme.test'); // device-trusted notice from the set-up, or the recovery notice
    expect(smtp.messages.length).toBeGreaterThanOrEqual(mails);

    const reuse = request.agent(host.app);
    now += 31_000;
    const reuseToken = await pendingAlice(reuse);
    expect((await reuse.post('/2fa/recovery').type('form').send({ _csrf: reuseToken, recoveryCode: codes[0] })).status).toBe(400);

    await host.twoFactor.generateRecoveryCodes(TEST_USERS.alice!.id);
    expect((await reuse.post('/2fa/recovery').type('form').send({ _csrf: reuseToken, recoveryCode: codes[1] })).status).toBe(400);
  });

  test('they respect the attempt limits: wrong ones lock the step, then even a right one fails', async () => {
    const { codes } = await aliceWithRecoveryCodes();
    const agent = request.agent(host.app);
    const token = await pendingAlice(agent);
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++)
      statuses.push((await agent.post('/2fa/recovery').type('form').send({ _csrf: token, recoveryCode: 'aaaaa-aaaaa' })).status);
    expect(statuses).toEqual([400, 400, 400, 400, 429]);
    expect((await agent.post('/2fa/recovery').type('form').send({ _csrf: token, recoveryCode: codes[0] })).status).toBe(429);
    expect(await store.countRecoveryCodes(TEST_USERS.alice!.id)).toBe(10);
  });
});

describe('events', () => {
  test('a full flow emits each event once with its payload, and no event carries a secret', async () => {
    await store.updateUserSettings(TEST_USERS.alice!.id, { phone: '+15005550006' }, DEFAULT_USER_SETTINGS);
    const agent = request.agent(host.app);
    await agent.post('/login').type('form').send({ email: 'alice@acme.test', password: 'right' });
    const code = await smtp.nextCode('alice@acme.test');
    const token = csrfFrom((await agent.get('/2fa')).text);
    const wrong = code === '000000' ? '111111' : '000000';
    await agent.post('/2fa/verify').type('form').send({ code: wrong, _csrf: token });
    const done = await agent.post('/2fa/verify').type('form').send({ code, trust: '1', _csrf: token });
    const deviceCookie = String(done.headers['set-cookie']);
    const types = events.map((e) => e.type);
    expect(types).toEqual(['enforcement.enabled', 'challenge.issued', 'code.rejected', 'code.verified', 'device.trusted']);
    expect(events[1]).toMatchObject({
      userId: TEST_USERS.alice!.id,
      method: 'email',
      destination: 'a•••e@acme.test',
      purpose: 'sign-in',
      at: now,
    });
    expect(events[2]).toMatchObject({ reason: 'wrong' });
    const serialised = JSON.stringify(events);
    expect(serialised).not.toContain(code);
    expect(serialised).not.toContain('+15005550006');
    const secret = /device_2fa=[^.]+\.[^.]+\.([^;~]+)/.exec(deviceCookie)?.[1];
    expect(secret).toBeDefined();
    expect(serialised).not.toContain(secret!);
  });

  test('a throwing hook never breaks a sign-in', async () => {
    await host.twoFactor.close();
    const error = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    host = createTestApp({
      smtpUrl: smtp.url,
      options: {
        store,
        onEvent: () => {
          throw new Error('audit log down');
        },
      },
    });
    const agent = request.agent(host.app);
    await agent.post('/login').type('form').send({ email: 'alice@acme.test', password: 'right' });
    const code = await smtp.nextCode('alice@acme.test');
    expect(
      (
        await agent
          .post('/2fa/verify')
          .type('form')
          .send({ code, _csrf: csrfFrom((await agent.get('/2fa')).text) })
      ).status,
    ).toBe(303);
    expect(error).toHaveBeenCalledWith(expect.stringContaining('audit log down'), expect.objectContaining({ message: 'audit log down' }));
    error.mockRestore();
  });

  test('repeated failed codes lock the step and the user is told by email', async () => {
    const agent = request.agent(host.app);
    await agent.post('/login').type('form').send({ email: 'alice@acme.test', password: 'right' });
    const code = await smtp.nextCode('alice@acme.test');
    const token = csrfFrom((await agent.get('/2fa')).text);
    const wrong = code === '000000' ? '111111' : '000000';
    for (let i = 0; i < 5; i++) await agent.post('/2fa/verify').type('form').send({ code: wrong, _csrf: token });
    expect(events.filter((e) => e.type === 'user.locked')).toHaveLength(1);
    const notice = await smtp.nextNotice('alice@acme.test');
    expect(notice.subject).not.toMatch(/^\d{6}/);
  });
});
