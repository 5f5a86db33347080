/**
 * The passkey page's scripts are served by the library's router from `<mountPath>/assets/<name>`,
 * on Express 4 and 5: JavaScript, never sniffed, cacheable, byte for byte the view's assets; and
 * the library's pages allow exactly those (`script-src 'self'`), no inline script or eval.
 */
import request from 'supertest';
import { passkey } from '../../../src/methods/passkey';
import { createTestApp, EXPRESS_VERSIONS } from '../../helpers/test-app';

describe.each(EXPRESS_VERSIONS)('%s', (_name, express) => {
  // No mail is sent here: the address is never dialled.
  const { app } = createTestApp({
    express,
    smtpUrl: 'smtp://127.0.0.1:9',
    options: { methods: { passkey: { rpId: 'localhost', origins: ['http://localhost:3000'] } } },
  });

  test.each(Object.keys(passkey.view?.assets ?? {}))('GET /2fa/assets/%s: the script, as JavaScript, nosniff, cacheable', async (name) => {
    const res = await request(app).get(`/2fa/assets/${name}`).expect(200);
    expect(res.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['cache-control']).toBe('public, max-age=3600');
    expect(res.text).toBe(passkey.view?.assets?.[name]?.body);
    await request(app).head(`/2fa/assets/${name}`).expect(200);
  });

  test('without passkeys configured their scripts are not served', async () => {
    const { app: plain } = createTestApp({ express, smtpUrl: 'smtp://127.0.0.1:9' });
    await request(plain).get('/2fa/assets/passkey.js').expect(404);
  });

  test('an unknown asset is a 404 page; POST is a 405', async () => {
    await request(app).get('/2fa/assets/nope.js').expect(404);
    await request(app).get('/2fa/assets/..%2fpasskey.js').expect(404);
    await request(app).post('/2fa/assets/passkey.js').expect(405);
  });

  test("the library's pages allow its own scripts and nothing else: script-src 'self', no inline, no eval", async () => {
    const res = await request(app).get('/2fa/settings');
    const csp = res.headers['content-security-policy'] ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|'sha256-[^']*'[^;]*script|nonce-/);
  });
});
