import type { Request, Response } from 'express';
import { availableMethods, destinationFor, preferredMethod } from '../core/methods';
import { maskDestination, maskEmail, maskPhone } from '../core/mask';
import { TrustedDevices } from '../core/trusted-devices';
import type { DeliveryMethod } from '../types';
import { strings } from '../views/strings';
import { renderRecoveryCodesPage } from '../views/recovery-codes-page';
import { renderSettingsPage } from '../views/settings-page';
import { clientIp, describeSend, renderCodeStep, renderPhoneEntry, type HttpContext } from './context';
import { confirmPhone, sendToPhone, submitPhone } from './phone-enrolment';
import { readState, writeState, type Notice, type PhoneChange, type VerifiedState } from './session-state';
import { describeFailure, withCheckedForm, type RouteHandler } from './verification-routes';

const USER = { kind: 'user' } as const;

/**
 * `<mountPath>/settings`: a fully verified user chooses their method, changes their phone (after a
 * fresh code to the current method, so a hijacked session cannot move codes to another phone),
 * reviews and revokes trusted browsers, and makes recovery codes. A pending session never gets here.
 */
export function settingsRoutes(ctx: HttpContext): Record<string, RouteHandler> {
  const { config, respond } = ctx;
  const base = `${config.mountPath}/settings`;

  function verifiedOr(req: Request, res: Response): VerifiedState | undefined {
    const state = readState(req);
    if (state?.status === 'verified') return state;
    respond.redirect(req, res, state?.status === 'pending' ? config.mountPath : config.loginPath);
    return undefined;
  }

  const verifiedForm = (req: Request, res: Response) => withCheckedForm(ctx, req, res, verifiedOr(req, res));

  /** Back to the settings page (post/redirect/get) with a message for it. */
  function done(req: Request, res: Response, state: VerifiedState, notice?: Notice): void {
    if (notice) state.notice = notice;
    writeState(req, state);
    respond.redirect(req, res, base);
  }

  /** A phone change expires like a pending sign-in: a forgotten tab cannot finish it tomorrow. */
  function activeChange(state: VerifiedState): PhoneChange | undefined {
    const change = state.phoneChange;
    if (change && config.now() - change.since <= config.pendingTtlMs) return change;
    delete state.phoneChange;
    return undefined;
  }

  async function showPage(req: Request, res: Response, status = 200, notice?: Notice): Promise<void> {
    const state = verifiedOr(req, res);
    if (!state) return;
    const shown = notice ?? state.notice;
    if (state.notice) {
      delete state.notice;
      writeState(req, state);
    }
    const change = activeChange(state);
    if (change) return renderChange(req, res, state, change, status, shown);
    const user = await ctx.directory.load(state.userId);
    const [devices, recoveryCodesLeft] = await Promise.all([ctx.devices.list(state.userId), ctx.recovery.count(state.userId)]);
    const thisToken = ctx.devices.tokenFor(state.userId, ctx.cookie.read(req));
    const thisDevice = thisToken ? TrustedDevices.deviceId(thisToken) : undefined;
    respond.html(
      req,
      res,
      status,
      renderSettingsPage({
        siteName: config.siteName,
        mountPath: config.mountPath,
        csrfToken: state.csrf,
        ...(shown ? { notice: shown } : {}),
        backHref: config.defaultReturnTo,
        email: maskEmail(user.identity.email),
        required: user.required,
        enforcedByAccount: user.account?.enforced === true,
        method: user.settings.method,
        methods: availableMethods(user, config.channels),
        phone: user.settings.phone ? maskPhone(user.settings.phone) : null,
        devices: devices.map((d) => ({ ...d, current: d.id === thisDevice })),
        recoveryCodesLeft,
      }),
    );
  }

  function renderChange(req: Request, res: Response, state: VerifiedState, change: PhoneChange, status: number, notice: Notice | undefined, typed?: string): void {
    const cancel = { action: `${base}/cancel`, label: strings.cancel };
    if (change.stage === 'phone') {
      return renderPhoneEntry(ctx, req, res, status, {
        csrfToken: state.csrf,
        context: 'settings',
        action: `${base}/phone`,
        method: change.enrolment?.method ?? 'sms',
        hasPhone: change.hadPhone,
        typed,
        notice,
        cancel,
      });
    }
    const reauth = change.stage === 'reauth';
    const method: DeliveryMethod = reauth ? change.reauthMethod : (change.enrolment?.method ?? 'sms');
    const destination = reauth ? change.reauthDestination : maskPhone(change.enrolment?.phone ?? '');
    renderCodeStep(ctx, req, res, status, {
      csrf: state.csrf,
      method,
      intro: reauth ? strings.reauthIntro(method, destination) : strings.enrolCodeSentTo(method, destination),
      destination,
      notice,
      verifyAction: `${base}/verify`,
      offerTrust: false,
      codeDisabled: false,
      actions: [{ actions: [{ action: `${base}/resend`, label: strings.resendButton }, cancel] }],
    });
  }

  async function changeMethod(req: Request, res: Response): Promise<void> {
    const posted = await verifiedForm(req, res);
    if (!posted) return;
    const { state, form } = posted;
    const user = await ctx.directory.load(state.userId);
    const method = form.method as DeliveryMethod;
    if (!availableMethods(user, config.channels).includes(method)) return showPage(req, res, 400, { kind: 'error', text: strings.methodNeedsPhone });
    if (method !== user.settings.method) {
      await ctx.settings.updateUserSettings(state.userId, { method });
      ctx.events.emit({ type: 'method.changed', userId: state.userId, from: user.settings.method, to: method, by: USER });
      ctx.notices.send(state.userId, { kind: 'method-changed', method });
    }
    done(req, res, state, { kind: 'info', text: strings.methodChanged(method) });
  }

  /** Step 1 of a phone change: a fresh code to the method the user has now. */
  async function startPhoneChange(req: Request, res: Response): Promise<void> {
    const posted = await verifiedForm(req, res);
    if (!posted) return;
    const { state } = posted;
    const user = await ctx.directory.load(state.userId);
    const method = preferredMethod(user, config.channels) ?? 'email';
    const destination = destinationFor(method, user) ?? user.identity.email;
    const outcome = await ctx.challenges.send({ userId: state.userId, purpose: 'reauth', method, destination, clientIp: clientIp(req) });
    if (outcome.status !== 'sent' && outcome.status !== 'throttled') {
      const view = describeSend(outcome, method, false);
      return showPage(req, res, view.status, view.notice);
    }
    state.phoneChange = {
      stage: 'reauth',
      since: config.now(),
      reauthMethod: method,
      reauthDestination: maskDestination(method, destination),
      hadPhone: user.settings.phone !== null,
    };
    done(req, res, state, outcome.status === 'throttled' ? describeSend(outcome, method, false).notice : undefined);
  }

  async function verify(req: Request, res: Response): Promise<void> {
    const posted = await verifiedForm(req, res);
    if (!posted) return;
    const { state, form } = posted;
    const change = activeChange(state);
    if (!change || change.stage === 'phone') return done(req, res, state);
    const purpose = change.stage === 'reauth' ? 'reauth' : 'enroll-phone';
    const outcome = await ctx.challenges.check(state.userId, purpose, form.code ?? '');
    if (outcome.status !== 'verified') {
      const { status, notice } = describeFailure(outcome);
      return renderChange(req, res, state, change, status, notice);
    }
    if (purpose === 'reauth') {
      change.stage = 'phone';
      change.since = config.now();
      return done(req, res, state);
    }
    await confirmPhone(ctx, state.userId, outcome.challenge, USER, 'reauth');
    delete state.phoneChange;
    done(req, res, state, { kind: 'info', text: strings.phoneChanged });
  }

  async function submitNewPhone(req: Request, res: Response): Promise<void> {
    const posted = await verifiedForm(req, res);
    if (!posted) return;
    const { state, form } = posted;
    const change = activeChange(state);
    // Only after the re-authentication code: never straight from a signed-in session.
    if (!change || change.stage === 'reauth') return done(req, res, state);
    const submitted = await submitPhone(ctx, req, state.userId, form, change.enrolment?.method ?? 'sms');
    if (!submitted.ok) return renderChange(req, res, state, { ...change, stage: 'phone' }, submitted.view.status, submitted.view.notice, form.phone);
    change.stage = 'phone-code';
    change.enrolment = submitted.enrolment;
    done(req, res, state);
  }

  async function resend(req: Request, res: Response): Promise<void> {
    const posted = await verifiedForm(req, res);
    if (!posted) return;
    const { state } = posted;
    const change = activeChange(state);
    if (!change || change.stage === 'phone') return done(req, res, state);
    if (change.stage === 'phone-code' && change.enrolment) {
      const sent = await sendToPhone(ctx, req, state.userId, change.enrolment, true);
      if (!sent.ok) return renderChange(req, res, state, change, sent.view.status, sent.view.notice);
      return done(req, res, state, { kind: 'info', text: strings.newCodeSent(change.enrolment.method) });
    }
    const user = await ctx.directory.load(state.userId);
    const destination = destinationFor(change.reauthMethod, user) ?? user.identity.email;
    const outcome = await ctx.challenges.send({ userId: state.userId, purpose: 'reauth', method: change.reauthMethod, destination, clientIp: clientIp(req) });
    const view = describeSend(outcome, change.reauthMethod, true);
    if (view.status !== 200) return renderChange(req, res, state, change, view.status, view.notice);
    done(req, res, state, view.notice);
  }

  async function cancel(req: Request, res: Response): Promise<void> {
    const posted = await verifiedForm(req, res);
    if (!posted) return;
    delete posted.state.phoneChange;
    done(req, res, posted.state);
  }

  async function revokeDevice(req: Request, res: Response): Promise<void> {
    const posted = await verifiedForm(req, res);
    if (!posted) return;
    const { state, form } = posted;
    const removed = typeof form.deviceId === 'string' && (await ctx.devices.revoke(state.userId, form.deviceId, USER));
    done(req, res, state, removed ? { kind: 'info', text: strings.deviceRevoked } : { kind: 'error', text: strings.deviceNotFound });
  }

  async function revokeAllDevices(req: Request, res: Response): Promise<void> {
    const posted = await verifiedForm(req, res);
    if (!posted) return;
    const count = await ctx.devices.revokeAll(posted.state.userId, USER);
    done(req, res, posted.state, { kind: 'info', text: strings.devicesRevoked(count) });
  }

  async function newRecoveryCodes(req: Request, res: Response): Promise<void> {
    const posted = await verifiedForm(req, res);
    if (!posted) return;
    const codes = await ctx.recovery.generate(posted.state.userId);
    // Shown once, never redirected to: a reload must not show them again from some cache (no-store).
    respond.html(req, res, 200, renderRecoveryCodesPage({ siteName: config.siteName, codes, backHref: base }));
  }

  return {
    'GET /settings': (req, res) => showPage(req, res),
    'POST /settings/method': changeMethod,
    'POST /settings/phone/start': startPhoneChange,
    'POST /settings/verify': verify,
    'POST /settings/phone': submitNewPhone,
    'POST /settings/resend': resend,
    'POST /settings/cancel': cancel,
    'POST /settings/devices/revoke': revokeDevice,
    'POST /settings/devices/revoke-all': revokeAllDevices,
    'POST /settings/recovery-codes': newRecoveryCodes,
  };
}
