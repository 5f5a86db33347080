/**
 * The library's own pages' scripts (recovery-codes.js) are served like a method's, from
 * `<mountPath>/assets/<name>`, on Express 4 and 5, with or without any method that has assets of its own.
 */
import { Script } from 'node:vm';
import request from 'supertest';
import { PAGE_ASSETS } from '../../src/views/page-assets';
import { createTestApp, EXPRESS_VERSIONS } from '../helpers/test-app';

describe.each(EXPRESS_VERSIONS)('%s', (_name, express) => {
  // No mail is sent here: the address is never dialled.
  const plain = createTestApp({ express, smtpUrl: 'smtp://127.0.0.1:9' }).app;
  const withPasskeys = createTestApp({
    express,
    smtpUrl: 'smtp://127.0.0.1:9',
    options: { methods: { passkey: { rpId: 'localhost', origins: ['http://localhost:3000'] } } },
  }).app;

  test.each(Object.keys(PAGE_ASSETS))(
    'GET /2fa/assets/%s: the script, as JavaScript, nosniff, cacheable, beside the methods’ own',
    async (name) => {
      for (const app of [plain, withPasskeys]) {
        const res = await request(app).get(`/2fa/assets/${name}`).expect(200);
        expect(res.headers['content-type']).toBe('text/javascript; charset=utf-8');
        expect(res.headers['x-content-type-options']).toBe('nosniff');
        expect(res.headers['cache-control']).toBe('public, max-age=3600');
        expect(res.text).toBe(PAGE_ASSETS[name]?.body);
        expect(() => new Script(res.text)).not.toThrow();
      }
      await request(withPasskeys).get('/2fa/assets/passkey.js').expect(200);
    },
  );
});
