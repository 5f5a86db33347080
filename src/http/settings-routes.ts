import type { Request, Response } from 'express';
import { switchUserClients } from '../core/client-access';
import { availableMethods, destinationFor, preferredMethod } from '../core/methods';
import { maskDestination, maskEmail, maskPhone } from '../core/mask';
import { TrustedDevices } from '../core/trusted-devices';
import type { DeliveryMethod } from '../types';
import { strings } from '../views/strings';
import { renderRecoveryCodesPage } from '../views/recovery-codes-page';
import { renderSettingsPage } from '../views/settings-page';
import { randomToken } from '../core/secrets';
import type { LoadedUser } from '../core/users';
import { clientIp, describeSend, renderCodeStep, renderPhoneEntry, type HttpContext, type SendView } from './context';
import { confirmPhone, sendToPhone, submitPhone } from './phone-enrolment';
import { readState, regenerateSession, writeState, type Notice, type PhoneChange, type Reauth, type SensitiveChange, type VerifiedState } from './session-state';
import { describeFailure, withCheckedForm, type RouteHandler } from './verification-routes';

const USER = { kind: 'user' } as const;

/**
 * `<mountPath>/settings`: a fully verified user chooses their method, changes their phone, reviews
 * and revokes trusted browsers, and makes recovery codes. Changes to the second factor (method,
 * phone, recovery codes) need a fresh code first (`sensitive`), so a hijacked session cannot move
 * codes elsewhere or mint its own way in. A pending session never gets here.
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

  /** A re-authentication or phone change expires like a pending sign-in: a forgotten tab cannot finish it tomorrow. */
  function active<T extends { since: number }>(step: T | undefined): T | undefined {
    return step && config.now() - step.since <= config.pendingTtlMs ? step : undefined;
  }

  function activeSteps(state: VerifiedState): { reauth: Reauth | undefined; change: PhoneChange | undefined } {
    const reauth = active(state.reauth);
    const change = active(state.phoneChange);
    if (!reauth) delete state.reauth;
    if (!change) delete state.phoneChange;
    return { reauth, change };
  }

  async function showPage(req: Request, res: Response, status = 200, notice?: Notice): Promise<void> {
    const state = verifiedOr(req, res);
    if (!state) return;
    const shown = notice ?? state.notice;
    if (state.notice) {
      delete state.notice;
      writeState(req, state);
    }
    const { reauth, change } = activeSteps(state);
    if (reauth) return renderReauth(req, res, state, reauth, status, shown);
    if (change) return renderChange(req, res, state, change, status, shown);
    // Fresh: the account's client block can have been lifted or set since enforcement was remembered.
    const user = await ctx.directory.load(state.userId, { fresh: true });
    const [devices, recoveryCodesLeft, sessions] = await Promise.all([
      ctx.devices.list(state.userId),
      ctx.recovery.count(state.userId),
      ctx.sessions.list(state.userId, req.sessionID),
    ]);
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
        enabled: user.settings.enabled,
        enforcedByAccount: user.account?.enforced === true,
        method: user.settings.method,
        methods: availableMethods(user, config.channels),
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

  const cancelAction = { action: `${base}/cancel`, label: strings.cancel };

  function renderReauth(req: Request, res: Response, state: VerifiedState, reauth: Reauth, status: number, notice: Notice | undefined): void {
    renderCodeStep(ctx, req, res, status, {
      csrf: state.csrf,
      method: reauth.method,
      intro: strings.reauthIntro(reauth.method, reauth.destination),
      destination: reauth.destination,
      notice,
      verifyAction: `${base}/verify`,
      offerTrust: false,
      offerEndOthers: true,
      codeDisabled: false,
      actions: [{ actions: [{ action: `${base}/resend`, label: strings.resendButton }, cancelAction] }],
    });
  }

  function renderChange(req: Request, res: Response, state: VerifiedState, change: PhoneChange, status: number, notice: Notice | undefined, typed?: string): void {
    if (change.stage === 'phone') {
      return renderPhoneEntry(ctx, req, res, status, {
        csrfToken: state.csrf,
        context: 'settings',
        action: `${base}/phone`,
        method: change.enrolment?.method ?? 'sms',
        hasPhone: change.hadPhone,
        typed,
        notice,
        cancel: cancelAction,
      });
    }
    const method = change.enrolment?.method ?? 'sms';
    const destination = maskPhone(change.enrolment?.phone ?? '');
    renderCodeStep(ctx, req, res, status, {
      csrf: state.csrf,
      method,
      intro: strings.enrolCodeSentTo(method, destination),
      destination,
      notice,
      verifyAction: `${base}/verify`,
      offerTrust: false,
      codeDisabled: false,
      actions: [{ actions: [{ action: `${base}/resend`, label: strings.resendButton }, cancelAction] }],
    });
  }

  /**
   * Every change to the second factor goes through here: within a passed re-authentication it is
   * made at once; otherwise a fresh code goes to the user's current method and the change waits for
   * it (see `verify`), so a signed-in session alone, or a copied cookie, changes nothing. Switching
   * 2FA on always proves the method chosen for it.
   */
  async function sensitive(req: Request, res: Response, state: VerifiedState, change: SensitiveChange): Promise<void> {
    if (change.kind !== 'enable' && (state.sudoUntil ?? 0) > config.now()) return apply(req, res, state, change);
    const user = await ctx.directory.load(state.userId);
    const method = change.kind === 'enable' ? change.method : (preferredMethod(user, config.channels) ?? 'email');
    const reauth: Reauth = {
      attempt: randomToken(12),
      since: config.now(),
      method,
      destination: maskDestination(method, destinationFor(method, user) ?? user.identity.email),
      change,
    };
    const view = await sendReauthCode(req, state.userId, reauth, user, false);
    if (view.status !== 200) return showPage(req, res, view.status, view.notice);
    state.reauth = reauth;
    delete state.phoneChange;
    done(req, res, state, view.notice);
  }

  async function sendReauthCode(req: Request, userId: string, reauth: Reauth, user: LoadedUser, isResend: boolean): Promise<SendView> {
    const destination = destinationFor(reauth.method, user) ?? user.identity.email;
    const outcome = await ctx.challenges.send({ userId, purpose: 'reauth', attempt: reauth.attempt, method: reauth.method, destination, clientIp: clientIp(req) });
    return describeSend(outcome, reauth.method, isResend);
  }

  /** Makes a sensitive change the user has just proved they may make; each one is announced by email. */
  async function apply(req: Request, res: Response, state: VerifiedState, change: SensitiveChange): Promise<void> {
    switch (change.kind) {
      case 'method': {
        const user = await ctx.directory.load(state.userId);
        if (change.method !== user.settings.method) {
          await ctx.settings.updateUserSettings(state.userId, { method: change.method });
          ctx.events.emit({ type: 'method.changed', userId: state.userId, from: user.settings.method, to: change.method, by: USER });
          ctx.notices.send(state.userId, { kind: 'method-changed', method: change.method });
        }
        return done(req, res, state, { kind: 'info', text: strings.methodChanged(change.method) });
      }
      case 'phone': {
        const user = await ctx.directory.load(state.userId);
        state.phoneChange = { stage: 'phone', attempt: randomToken(12), since: config.now(), hadPhone: user.settings.phone !== null };
        return done(req, res, state);
      }
      case 'enable':
      case 'disable': {
        const enabled = change.kind === 'enable';
        const user = await ctx.directory.load(state.userId);
        if (!enabled && user.account?.enforced) return done(req, res, state, { kind: 'error', text: strings.cannotSwitchOff });
        await ctx.settings.updateUserSettings(state.userId, enabled ? { enabled, method: change.method } : { enabled });
        ctx.events.emit({ type: 'user.2fa-switched', userId: state.userId, enabled, by: USER });
        ctx.notices.send(state.userId, { kind: 'two-factor-switched', enabled });
        return done(req, res, state, { kind: 'info', text: enabled ? strings.switchedOn : strings.switchedOff });
      }
      case 'email-codes': {
        const user = await ctx.directory.load(state.userId);
        // Phone only needs a phone; codes then stop going by email, so the method moves off email.
        if (!change.allowed && user.settings.phone === null) return done(req, res, state, { kind: 'error', text: strings.methodNeedsPhone });
        const patch = change.allowed ? { emailCodes: true } : { emailCodes: false, ...(user.settings.method === 'email' ? { method: 'sms' as const } : {}) };
        await ctx.settings.updateUserSettings(state.userId, patch);
        ctx.events.emit({ type: 'email-codes.switched', userId: state.userId, allowed: change.allowed, by: USER });
        ctx.notices.send(state.userId, { kind: 'email-codes-switched', allowed: change.allowed });
        return done(req, res, state, { kind: 'info', text: strings.emailCodesSwitched(change.allowed) });
      }
      case 'allow-clients': {
        await switchUserClients(ctx, state.userId, false, USER);
        return done(req, res, state, { kind: 'info', text: strings.clientsSwitched(false) });
      }
      case 'recovery-codes': {
        const codes = await ctx.recovery.generate(state.userId, USER);
        ctx.notices.send(state.userId, { kind: 'recovery-generated' });
        writeState(req, state);
        // Shown once, never redirected to: a reload must not show them again from some cache (no-store).
        return respond.html(req, res, 200, renderRecoveryCodesPage({ siteName: config.siteName, codes, backHref: base }));
      }
    }
  }

  async function changeMethod(req: Request, res: Response): Promise<void> {
    const posted = await verifiedForm(req, res);
    if (!posted) return;
    const { state, form } = posted;
    const user = await ctx.directory.load(state.userId);
    const method = form.method as DeliveryMethod;
    if (!availableMethods(user, config.channels).includes(method)) return showPage(req, res, 400, { kind: 'error', text: strings.methodNeedsPhone });
    if (method === user.settings.method) return done(req, res, state, { kind: 'info', text: strings.methodChanged(method) });
    await sensitive(req, res, state, { kind: 'method', method });
  }

  async function startPhoneChange(req: Request, res: Response): Promise<void> {
    const posted = await verifiedForm(req, res);
    if (posted) await sensitive(req, res, posted.state, { kind: 'phone' });
  }

  async function endSessions(userId: string, options: { only?: readonly string[]; keep: string }): Promise<number> {
    const count = await ctx.sessions.end(userId, options);
    if (count > 0) ctx.events.emit({ type: 'sessions.ended', userId, count, by: USER });
    return count;
  }

  async function endSession(req: Request, res: Response): Promise<void> {
    const posted = await verifiedForm(req, res);
    if (!posted) return;
    const { state, form } = posted;
    const ended = typeof form.session === 'string' && (await endSessions(state.userId, { only: [form.session], keep: req.sessionID })) > 0;
    done(req, res, state, ended ? { kind: 'info', text: strings.sessionEnded } : { kind: 'error', text: strings.sessionsEnded(0) });
  }

  async function endOtherSessions(req: Request, res: Response): Promise<void> {
    const posted = await verifiedForm(req, res);
    if (!posted) return;
    const count = await endSessions(posted.state.userId, { keep: req.sessionID });
    done(req, res, posted.state, { kind: 'info', text: strings.sessionsEnded(count) });
  }

  async function enable(req: Request, res: Response): Promise<void> {
    const posted = await verifiedForm(req, res);
    if (!posted) return;
    const { state, form } = posted;
    const user = await ctx.directory.load(state.userId);
    const method = form.method as DeliveryMethod;
    if (!availableMethods(user, config.channels).includes(method)) return showPage(req, res, 400, { kind: 'error', text: strings.methodNeedsPhone });
    await sensitive(req, res, state, { kind: 'enable', method });
  }

  async function disable(req: Request, res: Response): Promise<void> {
    const posted = await verifiedForm(req, res);
    if (!posted) return;
    // Refused before any code is sent: the account's enforcement is one-way.
    if ((await ctx.directory.load(posted.state.userId)).account?.enforced) return showPage(req, res, 409, { kind: 'error', text: strings.cannotSwitchOff });
    await sensitive(req, res, posted.state, { kind: 'disable' });
  }

  async function emailCodes(req: Request, res: Response): Promise<void> {
    const posted = await verifiedForm(req, res);
    if (!posted) return;
    const { state, form } = posted;
    if (form.allowed !== '0' && form.allowed !== '1') return showPage(req, res, 400, { kind: 'error', text: strings.formExpired });
    if (form.allowed === '0' && (await ctx.directory.load(state.userId)).settings.phone === null) {
      return showPage(req, res, 400, { kind: 'error', text: strings.methodNeedsPhone });
    }
    await sensitive(req, res, state, { kind: 'email-codes', allowed: form.allowed === '1' });
  }

  /** Blocking clients that cannot do 2FA only removes access, so it needs no code; allowing them again does. */
  async function clientAccess(req: Request, res: Response): Promise<void> {
    const posted = await verifiedForm(req, res);
    if (!posted) return;
    const { state, form } = posted;
    if (form.blocked === '0') return sensitive(req, res, state, { kind: 'allow-clients' });
    if (form.blocked !== '1') return showPage(req, res, 400, { kind: 'error', text: strings.formExpired });
    await switchUserClients(ctx, state.userId, true, USER);
    done(req, res, state, { kind: 'info', text: strings.clientsSwitched(true) });
  }

  async function newRecoveryCodes(req: Request, res: Response): Promise<void> {
    const posted = await verifiedForm(req, res);
    if (posted) await sensitive(req, res, posted.state, { kind: 'recovery-codes' });
  }

  async function verify(req: Request, res: Response): Promise<void> {
    const posted = await verifiedForm(req, res);
    if (!posted) return;
    const { state, form } = posted;
    const { reauth, change } = activeSteps(state);
    if (reauth) {
      const outcome = await ctx.challenges.check(state.userId, { purpose: 'reauth', attempt: reauth.attempt }, form.code ?? '');
      if (outcome.status !== 'verified') {
        const { status, notice } = describeFailure(outcome);
        return renderReauth(req, res, state, reauth, status, notice);
      }
      // A fresh proof rotates the session id: a copied cookie does not ride on the new privilege.
      const { reauth: _done, ...rest } = state;
      const previousId = req.sessionID;
      await regenerateSession(req, config.storeTimeoutMs);
      const proved: VerifiedState = { ...rest, sudoUntil: config.now() + config.reauthWindowMs };
      writeState(req, proved);
      await ctx.sessions.moved(req, state.userId, previousId, state.verifiedAt);
      // "Also sign out my other sessions", ticked by default on the code step.
      if (form.endOthers === '1') await endSessions(state.userId, { keep: req.sessionID });
      return apply(req, res, proved, reauth.change);
    }
    if (!change || change.stage !== 'phone-code' || !change.enrolment) return done(req, res, state);
    const outcome = await ctx.challenges.check(state.userId, { purpose: 'enroll-phone', attempt: change.attempt }, form.code ?? '');
    if (outcome.status !== 'verified') {
      const { status, notice } = describeFailure(outcome);
      return renderChange(req, res, state, change, status, notice);
    }
    await confirmPhone(ctx, state.userId, outcome.challenge, USER, 'reauth');
    delete state.phoneChange;
    done(req, res, state, { kind: 'info', text: strings.phoneChanged });
  }

  async function submitNewPhone(req: Request, res: Response): Promise<void> {
    const posted = await verifiedForm(req, res);
    if (!posted) return;
    const { state, form } = posted;
    const { change } = activeSteps(state);
    // Only after the re-authentication: never straight from a signed-in session.
    if (!change) return done(req, res, state);
    const submitted = await submitPhone(ctx, req, state.userId, change.attempt, form, change.enrolment?.method ?? 'sms');
    if (!submitted.ok) return renderChange(req, res, state, { ...change, stage: 'phone' }, submitted.view.status, submitted.view.notice, form.phone);
    change.stage = 'phone-code';
    change.enrolment = submitted.enrolment;
    done(req, res, state);
  }

  async function resend(req: Request, res: Response): Promise<void> {
    const posted = await verifiedForm(req, res);
    if (!posted) return;
    const { state } = posted;
    const { reauth, change } = activeSteps(state);
    if (reauth) {
      const view = await sendReauthCode(req, state.userId, reauth, await ctx.directory.load(state.userId), true);
      if (view.status !== 200) return renderReauth(req, res, state, reauth, view.status, view.notice);
      return done(req, res, state, view.notice);
    }
    if (!change || change.stage !== 'phone-code' || !change.enrolment) return done(req, res, state);
    const sent = await sendToPhone(ctx, req, state.userId, change.attempt, change.enrolment, true);
    if (!sent.ok) return renderChange(req, res, state, change, sent.view.status, sent.view.notice);
    done(req, res, state, { kind: 'info', text: strings.newCodeSent(change.enrolment.method) });
  }

  async function cancel(req: Request, res: Response): Promise<void> {
    const posted = await verifiedForm(req, res);
    if (!posted) return;
    delete posted.state.reauth;
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
    'POST /settings/enable': enable,
    'POST /settings/sessions/end': endSession,
    'POST /settings/sessions/end-others': endOtherSessions,
    'POST /settings/email-codes': emailCodes,
    'POST /settings/disable': disable,
    'POST /settings/clients': clientAccess,
  };
}
