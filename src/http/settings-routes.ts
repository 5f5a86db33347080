import type { Request, Response } from 'express';
import { switchUserClients } from '../core/client-access';
import { maskEmail, maskPhone } from '../core/mask';
import { TrustedDevices } from '../core/trusted-devices';
import { methodSays, say, type Message } from '../views/messages';
import { renderSettingsPage } from '../views/settings-page';
import { act, renderFrame, settle, type Action } from './flow';
import { endSessions, sensitive } from './flow/changes';
import { checkedForm, settingsFrame, type Next, type SettingsFrame } from './flow/frame';
import type { HttpContext } from './http-context';
import type { Notice, SensitiveChange } from './session-state';
import type { RouteHandler } from './verification-routes';

const USER = { kind: 'user' } as const;

/**
 * `<mountPath>/settings`: a fully verified user chooses their method, changes their phone, sets up an
 * authenticator or a passkey, reviews and revokes trusted browsers and sessions, and makes recovery
 * codes. Changes to the second factor need a fresh proof first (`sensitive`), so a hijacked session
 * cannot move codes elsewhere or mint its own way in. A pending session never gets here.
 */
export function settingsRoutes(ctx: HttpContext): Record<string, RouteHandler> {
  const { config, respond } = ctx;

  /** The settings page itself (no step under way). */
  async function home(req: Request, res: Response, frame: SettingsFrame, status: number, notice: Notice | undefined): Promise<void> {
    const { state } = frame;
    // Fresh: the account's client block can have been lifted or set since enforcement was remembered.
    const user = await ctx.directory.load(state.userId, { fresh: true });
    const enrolling = ctx.methods.all.filter((m) => m.enrolment);
    const [devices, recoveryCodesLeft, sessions, credentials] = await Promise.all([
      ctx.devices.list(state.userId),
      ctx.recovery.count(state.userId),
      ctx.sessions.list(state.userId, req.sessionID),
      Promise.all(enrolling.map((m) => ctx.methodServices.credentials.list(state.userId, m.id))),
    ]);
    const thisToken = ctx.devices.tokenFor(state.userId, ctx.cookie.read(req));
    const thisDevice = thisToken ? TrustedDevices.deviceId(thisToken) : undefined;
    // Times in the user's own zone, when the host knows it.
    const words = ctx.languages.forUser(req, user.identity);
    const shown = ctx.languages.shown(notice, words);
    respond.html(
      req,
      res,
      status,
      renderSettingsPage({
        siteName: config.siteName,
        words,
        logo: config.logo,
        mountPath: config.mountPath,
        csrfToken: state.csrf,
        ...(shown ? { notice: shown } : {}),
        backHref: config.defaultReturnTo,
        email: maskEmail(user.identity.email),
        required: user.required,
        enabled: user.settings.enabled,
        enforcedByAccount: user.account?.enforced === true,
        method: ctx.methods.preferred(user)?.id ?? user.settings.method,
        methods: ctx.methods.all.flatMap((m) => {
          const own = words.method(m.id);
          if (!own) return [];
          const usable = m.usableBy(user);
          return [{ id: m.id, label: own.label, usable, hint: usable ? (m.destinationOf?.(user) ?? null) : own.unavailable }];
        }),
        enrolments: enrolling.flatMap((m, i) => {
          const own = words.method(m.id)?.enrolment;
          if (!own) return [];
          return [
            {
              method: m.id,
              strings: own,
              credentials: (credentials[i] ?? []).map(({ id, label, createdAt, lastUsedAt }) => ({ id, label, createdAt, lastUsedAt })),
            },
          ];
        }),
        phone: user.settings.phone ? maskPhone(user.settings.phone) : null,
        emailCodes: user.settings.emailCodes !== false,
        blockClients: user.settings.blockClients === true,
        clientsBlockedByAccount: user.account?.blockClients === true,
        devices: devices.map((d) => ({ ...d, current: d.id === thisDevice })),
        sessions,
        recoveryCodesLeft,
      }),
    );
  }

  const homeOf = (req: Request, res: Response, frame: SettingsFrame) => (status: number, notice: Notice | undefined) =>
    home(req, res, frame, status, notice);

  async function showPage(req: Request, res: Response): Promise<void> {
    const frame = settingsFrame(ctx, req, res);
    if (!frame) return;
    const notice = frame.state.notice;
    if (notice) delete frame.state.notice; // shown once
    await renderFrame(ctx, req, res, frame, { to: 'render', status: 200, ...(notice ? { notice } : {}) }, homeOf(req, res, frame));
  }

  /** A route of the settings page: a signed-in session and the form's token, then `handle`'s answer. */
  const route =
    (handle: (req: Request, res: Response, frame: SettingsFrame, form: Record<string, string>) => Promise<Next>): RouteHandler =>
    async (req, res) => {
      const frame = settingsFrame(ctx, req, res);
      if (!frame) return;
      const form = await checkedForm(ctx, req, res, frame.state.csrf);
      if (!form) return;
      await settle(ctx, req, res, frame, await handle(req, res, frame, form), homeOf(req, res, frame));
    };

  /** An action of the step under way (a code, a phone number, an enrolment's answer). */
  const stepAction =
    (name: Action): RouteHandler =>
    async (req, res) => {
      const frame = settingsFrame(ctx, req, res);
      if (!frame) return;
      const form = await checkedForm(ctx, req, res, frame.state.csrf);
      if (form) await act(ctx, req, res, frame, name, form, homeOf(req, res, frame));
    };

  const change = (make: (form: Record<string, string>, frame: SettingsFrame) => Promise<SensitiveChange | Next>) =>
    route(async (req, res, frame, form) => {
      const made = await make(form, frame);
      return 'to' in made ? made : sensitive(ctx, req, res, frame, made);
    });

  const refuse = (status: number, message: Message): Next => ({ to: 'render', status, notice: { kind: 'error', message } });
  const info = (message: Message): Next => ({ to: 'page', notice: { kind: 'info', message } });
  const loadUser = (frame: SettingsFrame) => ctx.directory.load(frame.state.userId);
  /** Why a method cannot be chosen yet, in its own words ("Add a phone number first"). */
  const cannotUse = (id: unknown): Message => {
    const method = ctx.methods.get(id);
    return method ? methodSays(method.id, 'unavailable') : say('formExpired');
  };

  return {
    'GET /settings': showPage,
    'POST /settings/method': change(async (form, frame) => {
      const user = await loadUser(frame);
      if (!ctx.methods.usableBy(form.method, user)) return refuse(400, cannotUse(form.method));
      if (form.method === user.settings.method) return info(methodSays(form.method, 'chosen'));
      return { kind: 'method', method: form.method };
    }),
    'POST /settings/phone/start': change(async () => ({ kind: 'phone' })),
    'POST /settings/enable': change(async (form, frame) => {
      const user = await loadUser(frame);
      return ctx.methods.usableBy(form.method, user) ? { kind: 'enable', method: form.method } : refuse(400, cannotUse(form.method));
    }),
    // Refused before any code is sent: the account's enforcement is one-way.
    'POST /settings/disable': change(async (_form, frame) =>
      (await loadUser(frame)).account?.enforced ? refuse(409, say('cannotSwitchOff')) : { kind: 'disable' },
    ),
    'POST /settings/email-codes': change(async (form, frame) => {
      if (form.allowed !== '0' && form.allowed !== '1') return refuse(400, say('formExpired'));
      if (form.allowed === '0' && (await loadUser(frame)).settings.phone === null) return refuse(400, say('methodNeedsPhone'));
      return { kind: 'email-codes', allowed: form.allowed === '1' };
    }),
    /** Blocking clients that cannot do 2FA only removes access, so it needs no code; allowing them again does. */
    'POST /settings/clients': change(async (form, frame) => {
      if (form.blocked === '0') return { kind: 'allow-clients' };
      if (form.blocked !== '1') return refuse(400, say('formExpired'));
      await switchUserClients(ctx, frame.state.userId, true, USER, frame.words.lang);
      return info(say('clientsSwitched', true));
    }),
    'POST /settings/recovery-codes': change(async () => ({ kind: 'recovery-codes' })),
    'POST /settings/methods/add': change(async (form) => {
      const method = ctx.methods.get(form.method);
      return method?.enrolment ? { kind: 'enrol', method: method.id } : refuse(400, say('formExpired'));
    }),
    'POST /settings/methods/remove': change(async (form) => {
      const method = ctx.methods.get(form.method);
      if (!method?.enrolment || typeof form.credential !== 'string' || form.credential === '') return refuse(400, say('formExpired'));
      return { kind: 'remove-credential', method: method.id, id: form.credential };
    }),
    'POST /settings/verify': stepAction('verify'),
    'POST /settings/phone': stepAction('phone'),
    'POST /settings/resend': stepAction('resend'),
    'POST /settings/enrol': stepAction('enrol'),
    'POST /settings/cancel': route(async (_req, _res, frame) => {
      delete frame.state.flow;
      return { to: 'page' };
    }),
    'POST /settings/sessions/end': route(async (req, _res, frame, form) => {
      const ended = typeof form.session === 'string' && (await endSessions(ctx, frame.state.userId, req.sessionID, [form.session])) > 0;
      return ended ? info(say('sessionEnded')) : { to: 'page', notice: { kind: 'error', message: say('sessionsEnded', 0) } };
    }),
    'POST /settings/sessions/end-others': route(async (req, _res, frame) =>
      info(say('sessionsEnded', await endSessions(ctx, frame.state.userId, req.sessionID))),
    ),
    'POST /settings/devices/revoke': route(async (_req, _res, frame, form) => {
      const removed = typeof form.deviceId === 'string' && (await ctx.devices.revoke(frame.state.userId, form.deviceId, USER));
      return removed ? info(say('deviceRevoked')) : { to: 'page', notice: { kind: 'error', message: say('deviceNotFound') } };
    }),
    'POST /settings/devices/revoke-all': route(async (_req, _res, frame) =>
      info(say('devicesRevoked', await ctx.devices.revokeAll(frame.state.userId, USER))),
    ),
  };
}
