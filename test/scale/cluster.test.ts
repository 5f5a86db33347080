/**
 * RedisStore on a real Redis Cluster (three masters on free loopback ports, no replicas) through an
 * ioredis `Cluster` client: the whole sign-in flow, trusted devices and revocation. Sessions stay in
 * memory here: what is under test is the library's store. The users are chosen so that their keys
 * and their accounts' keys land on all three masters ({u:u-alice} slot 4055, {u:u-dan} 5769,
 * {a:acme} 15568), so scripts and MULTIs run on several nodes.
 */
import request from 'supertest';
import type { Cluster, Redis } from 'ioredis';
import { RedisStore } from '../../src/redis';
import { scanKeys, startRedisCluster, type TestRedisCluster } from '../helpers/redis-server';
import { startSmtpServer, type TestSmtpServer } from '../helpers/smtp-server';
import { createTestApp, csrfFrom, TEST_USERS, type TestApp } from '../helpers/test-app';

const HTML = { Accept: 'text/html' };
const PREFIX = 'cluster2fa:';

let cluster: TestRedisCluster;
let smtp: TestSmtpServer;
let client: Cluster;
let host: TestApp;

beforeAll(async () => {
  [cluster, smtp] = await Promise.all([startRedisCluster(), startSmtpServer()]);
  client = cluster.client();
  host = createTestApp({
    smtpUrl: smtp.url,
    // Several codes per user within seconds: the default quota (1 per 30 s) would throttle them.
    options: { store: new RedisStore({ client, prefix: PREFIX }), sendQuota: [{ windowMs: 1_000, max: 100 }] },
  });
  // Settings live in the store, so ready checks maxmemory-policy on every master.
  await host.twoFactor.ready;
  await host.twoFactor.enforceAccount('acme');
  await host.twoFactor.setUserEnabled(TEST_USERS.dan!.id, true);
}, 60_000);

afterAll(async () => {
  await host?.twoFactor.close();
  await smtp?.stop();
  await cluster?.stop();
});

beforeEach(() => smtp.drain());

type Agent = ReturnType<typeof request.agent>;

function deviceCookieFrom(res: request.Response): string | undefined {
  const cookies = ([] as string[]).concat(res.headers['set-cookie'] ?? []);
  return cookies.find((c) => c.startsWith('device_2fa='))?.split(';')[0];
}

/** Password, then the emailed code with "trust this browser"; returns the device cookie. */
async function signInWithCode(agent: Agent, email: string): Promise<string> {
  const login = await agent.post('/login').type('form').send({ email, password: 'right' });
  expect(login.status).toBe(303);
  expect(login.headers.location).toBe('/2fa');
  const code = await smtp.nextCode(email);
  const page = await agent.get('/2fa').set(HTML);
  expect(page.status).toBe(200);
  const verified = await agent
    .post('/2fa/verify')
    .type('form')
    .send({ _csrf: csrfFrom(page.text), code, trust: '1' });
  expect(verified.status).toBe(303);
  expect(verified.headers.location).toBe('/');
  const dashboard = await agent.get('/').set(HTML);
  expect(dashboard.text).toBe(`Signed in as ${email}`);
  const device = deviceCookieFrom(verified);
  expect(device).toBeDefined();
  return device!;
}

/** A password step from a browser that holds only `deviceCookie` (no session). */
async function passwordStepWithDevice(deviceCookie: string, email: string): Promise<request.Response> {
  return request(host.app).post('/login').set('Cookie', deviceCookie).type('form').send({ email, password: 'right' });
}

const keysOn = (node: Redis) => scanKeys(node, `${PREFIX}*`);

test('password → emailed code → verified → trusted device → second sign-in skips the code → revocation asks again', async () => {
  const alice = TEST_USERS.alice!;
  const agent = request.agent(host.app);
  const device = await signInWithCode(agent, alice.email);

  const devices = await host.twoFactor.listDevices(alice.id);
  expect(devices).toHaveLength(1);

  // A new browser session with only the device cookie: signed in without a code.
  const again = await passwordStepWithDevice(device, alice.email);
  expect(again.status).toBe(303);
  expect(again.headers.location).toBe('/');
  const session = ([] as string[])
    .concat(again.headers['set-cookie'] ?? [])
    .find((c) => c.startsWith('connect.sid='))!
    .split(';')[0]!;
  expect((await request(host.app).get('/').set('Cookie', session)).text).toBe(`Signed in as ${alice.email}`);
  expect((await host.twoFactor.listDevices(alice.id))[0]!.lastUsedAt).toBeGreaterThanOrEqual(devices[0]!.lastUsedAt);

  // Revoked: the same browser needs a code again.
  expect(await host.twoFactor.revokeDevice(alice.id, devices[0]!.id)).toBe(true);
  expect(await host.twoFactor.listDevices(alice.id)).toEqual([]);
  const revoked = await passwordStepWithDevice(device, alice.email);
  expect(revoked.status).toBe(303);
  expect(revoked.headers.location).toBe('/2fa');
  await smtp.nextCode(alice.email);
});

test('revoking every device (password change) works across the cluster, and the verify script counts a wrong code then accepts the right one', async () => {
  const dan = TEST_USERS.dan!;
  const first = await signInWithCode(request.agent(host.app), dan.email);
  const second = await signInWithCode(request.agent(host.app), dan.email);
  expect(await host.twoFactor.listDevices(dan.id)).toHaveLength(2);
  for (const device of [first, second]) expect((await passwordStepWithDevice(device, dan.email)).headers.location).toBe('/');

  expect(await host.twoFactor.revokeAllDevices(dan.id)).toBe(2);
  for (const device of [first, second]) expect((await passwordStepWithDevice(device, dan.email)).headers.location).toBe('/2fa');

  // The verify script (challenge + failure counter, one slot) on the cluster: wrong codes count.
  smtp.drain();
  const agent = request.agent(host.app);
  await agent.post('/login').type('form').send({ email: dan.email, password: 'right' });
  const code = await smtp.nextCode(dan.email);
  const csrf = csrfFrom((await agent.get('/2fa').set(HTML)).text);
  const wrong = await agent
    .post('/2fa/verify')
    .type('form')
    .send({ _csrf: csrf, code: code === '000000' ? '111111' : '000000' });
  expect(wrong.status).toBe(400);
  const right = await agent.post('/2fa/verify').type('form').send({ _csrf: csrf, code });
  expect(right.status).toBe(303);
  expect((await agent.get('/').set(HTML)).text).toBe(`Signed in as ${dan.email}`);
});

test("each user's keys share one hash slot, and the keys are spread over all three masters", async () => {
  const masters = client.nodes('master');
  expect(masters).toHaveLength(3);
  const perMaster = await Promise.all(masters.map((node) => keysOn(node)));
  expect(perMaster.every((keys) => keys.length > 0)).toBe(true);

  const slotsByTag = new Map<string, Set<number>>();
  for (const key of perMaster.flat()) {
    const tag = /\{[^}]*\}/.exec(key)![0];
    const slot = (await client.cluster('KEYSLOT', key)) as number;
    slotsByTag.set(tag, (slotsByTag.get(tag) ?? new Set()).add(slot));
  }
  expect([...slotsByTag.keys()].sort()).toEqual(expect.arrayContaining(['{u:u-alice}', '{u:u-dan}', '{a:acme}', '{a:globex}']));
  for (const slots of slotsByTag.values()) expect(slots.size).toBe(1);
});
