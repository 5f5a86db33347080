/**
 * A small Express app that puts the passkey method's real view, script and assets in front of real
 * Chromium, without the library's flow: it renders the sign-in prompt and the enrolment page under
 * the library's CSP for them (`script-src 'self'`, the stylesheet by hash), serves the view's assets
 * from `/2fa/assets/<name>`, and passes what the page posts to the method's check/finish. The tests
 * read what was posted (the real WebAuthn responses) to replay and tamper with them.
 */
import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import type { AnswerOutcome, EnrolmentRefusal, Json, Method, StoredCredential } from '../../../src/core/method';
import type { LoadedUser } from '../../../src/core/users';
import { DEFAULT_USER_SETTINGS } from '../../../src/core/policy';
import { passkey } from '../../../src/methods/passkey';
import { renderLayout } from '../../../src/views/layout';
import { csrfField } from '../../../src/views/components';
import { html } from '../../../src/views/html';
import { STYLESHEET_HASH } from '../../../src/views/styles';
import type { TestServices } from './services';
import { EN } from '../../helpers/words';

export const MOUNT = '/2fa';
const CSRF = 'test-csrf-token';
export const CSP = `default-src 'none'; script-src 'self'; style-src ${STYLESHEET_HASH}; img-src data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'`;

export function user(id: string): LoadedUser {
  return {
    identity: { id, email: `${id}@acme.test` },
    settings: { ...DEFAULT_USER_SETTINGS, enabled: true, enrolled: ['passkey'] },
    account: null,
    required: true,
  };
}

type Posted<T> = { fields: Record<string, string>; outcome: T };
export type SignInResult = Posted<AnswerOutcome | undefined>;
export type EnrolResult = Posted<{ ok: true; credential: StoredCredential } | EnrolmentRefusal>;

interface Pending<T> {
  user: LoadedUser;
  method: Method;
  state: Json | undefined;
  /** false: only record what was posted (for replays), do not check it. */
  check: boolean;
  done: Promise<T>;
  resolve(result: T): void;
}

function pending<T>(user: LoadedUser, method: Method, state: Json | undefined, check: boolean): Pending<T> {
  let resolve!: (result: T) => void;
  const done = new Promise<T>((r) => (resolve = r));
  return { user, method, state, check, done, resolve };
}

export interface Harness {
  /** Each server of the app: the same routes on another port are another origin. */
  servers: Server[];
  ports: number[];
  /** Starts a sign-in with `method`: the page's path and what was posted once it is. */
  signIn(
    method: Method,
    user: LoadedUser,
    options?: { check?: boolean },
  ): Promise<{ path: string; state: Json | undefined; result: Promise<SignInResult> }>;
  enrol(method: Method, user: LoadedUser): Promise<{ path: string; pending: Json; result: Promise<EnrolResult> }>;
  close(): Promise<void>;
}

export async function startHarness(services: TestServices, portCount = 1): Promise<Harness> {
  const signIns = new Map<string, Pending<SignInResult>>();
  const enrolments = new Map<string, Pending<EnrolResult>>();
  const assets = passkey.view?.assets ?? {};
  const app = express();
  app.use(express.urlencoded({ extended: false, limit: '8kb' }));

  const page = (res: express.Response, title: string, body: ReturnType<typeof html>) => {
    res.setHeader('Content-Security-Policy', CSP);
    res.type('html').send(renderLayout({ title, siteName: 'Passkey test', body, lang: 'en' }));
  };

  app.get(`${MOUNT}/assets/:name`, (req, res) => {
    const asset = Object.hasOwn(assets, req.params.name) ? assets[req.params.name] : undefined;
    if (!asset) return void res.status(404).end();
    res.setHeader('Content-Type', asset.type);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.send(asset.body);
  });

  app.get('/sign-in/:id', (req, res) => {
    const entry = signIns.get(req.params.id);
    const view = passkey.view;
    if (!entry || !view?.prompt) return void res.status(404).end();
    // As the code page does: the method's control inside the page's form, beside the flow's own fields.
    const action = `/sign-in/${req.params.id}`;
    page(
      res,
      'Sign in',
      html`<h1>${passkey.strings.en.heading}</h1>
<form method="post" action="${action}">
${csrfField(CSRF)}
${view.prompt({ csrfToken: CSRF, action, disabled: false, mountPath: MOUNT, state: entry.state, words: passkey.strings.en, page: EN })}
<div class="check"><input type="checkbox" id="trust" name="trust" value="1" checked><label for="trust">Trust this browser</label></div>
</form>`,
    );
  });

  app.post('/sign-in/:id', async (req, res) => {
    const entry = signIns.get(req.params.id);
    if (!entry) return void res.status(404).end();
    const fields = { ...(req.body as Record<string, string>) };
    const outcome = entry.check
      ? await entry.method.check(
          { userId: entry.user.identity.id, ref: { purpose: 'sign-in', attempt: req.params.id }, state: entry.state, answer: fields },
          services,
        )
      : undefined;
    entry.resolve({ fields, outcome });
    page(res, 'Done', html`<h1>Posted</h1>`);
  });

  app.get('/enrol/:id', async (req, res) => {
    const entry = enrolments.get(req.params.id);
    const view = passkey.view;
    const enrolment = entry?.method.enrolment;
    if (!entry || !enrolment || !view?.enrol) return void res.status(404).end();
    const shown = await enrolment.present(entry.user, entry.state ?? null, services);
    page(
      res,
      'Add a passkey',
      html`<h1>${passkey.strings.en.enrolment.heading}</h1>
${view.enrol({ csrfToken: CSRF, action: `/enrol/${req.params.id}`, disabled: false, mountPath: MOUNT, shown, cancel: { action: '/cancel', label: 'Cancel' }, words: passkey.strings.en, page: EN })}`,
    );
  });

  app.post('/enrol/:id', async (req, res) => {
    const entry = enrolments.get(req.params.id);
    const enrolment = entry?.method.enrolment;
    if (!entry || !enrolment) return void res.status(404).end();
    const fields = { ...(req.body as Record<string, string>) };
    entry.resolve({ fields, outcome: await enrolment.finish(entry.user, entry.state ?? null, fields, services) });
    page(res, 'Done', html`<h1>Posted</h1>`);
  });

  const servers: Server[] = [];
  for (let i = 0; i < portCount; i++) {
    const server = app.listen(0, '127.0.0.1');
    await new Promise<void>((resolve) => server.once('listening', resolve));
    servers.push(server);
  }

  return {
    servers,
    ports: servers.map((s) => (s.address() as AddressInfo).port),
    async signIn(method, who, { check = true } = {}) {
      const outcome = await method.start(
        { user: who, ref: { purpose: 'sign-in', attempt: 'x' }, clientIp: undefined, locale: 'en' },
        services,
      );
      if (outcome.status !== 'ready') throw new Error(`start answered ${outcome.status}`);
      const id = randomUUID();
      const entry = pending<SignInResult>(who, method, outcome.state, check);
      signIns.set(id, entry);
      return { path: `/sign-in/${id}`, state: outcome.state, result: entry.done };
    },
    async enrol(method, who) {
      const enrolment = method.enrolment;
      if (!enrolment) throw new Error('no enrolment');
      const { pending: started } = await enrolment.begin(who, services);
      const id = randomUUID();
      const entry = pending<EnrolResult>(who, method, started, true);
      enrolments.set(id, entry);
      return { path: `/enrol/${id}`, pending: started, result: entry.done };
    },
    async close() {
      await Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
    },
  };
}
