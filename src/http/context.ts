import type { Request, Response } from 'express';
import type { Challenges, SendOutcome } from '../core/challenges';
import { availableMethods, destinationFor } from '../core/methods';
import { randomToken } from '../core/secrets';
import { clientNetwork } from '../core/client-network';
import { hasSessionPolicy } from '../core/session-policy';
import type { TrustedDevices } from '../core/trusted-devices';
import type { LoadedUser, UserDirectory } from '../core/users';
import type { DevelopmentOutbox } from '../channels/development-outbox';
import type { Configuration } from '../options';
import type { Events } from '../core/events';
import type { Notices } from '../core/notices';
import type { RecoveryCodes } from '../core/recovery-codes';
import type { DeliveryMethod } from '../types';
import type { DurableSettings } from '../core/store-settings';
import { deviceLabel } from '../core/device-label';
import { maskDestination } from '../core/mask';
import { strings } from '../views/strings';
import { renderPhoneEntryPage, type PhoneEntryPageModel } from '../views/phone-page';
import { renderCodePage, renderVerifyPage, type PageActionGroup } from '../views/verify-page';
import type { DeviceCookie } from './device-cookie';
import type { SignedInSessions } from './signed-in-sessions';
import type { Responder } from './responses';
import { commitSession, regenerateSession, STATE_VERSION, writeState, type Notice, type PendingState } from './session-state';

/** What every HTTP handler of the library works with; built once by the factory. */
export interface HttpContext {
  config: Configuration;
  directory: UserDirectory;
  settings: DurableSettings;
  challenges: Challenges;
  devices: TrustedDevices;
  recovery: RecoveryCodes;
  events: Events;
  notices: Notices;
  cookie: DeviceCookie;
  respond: Responder;
  outbox: DevelopmentOutbox | undefined;
  sessions: SignedInSessions;
}

/** The result of a send, as the page shows it. */
export interface SendView {
  status: number;
  notice: Notice | undefined;
}

/** Starts a pending sign-in in a fresh session. */
export function startPending(
  ctx: HttpContext,
  req: Request,
  user: LoadedUser,
  method: DeliveryMethod,
  returnTo: string,
  stage: PendingState['stage'],
): PendingState {
  const state: PendingState = {
    v: STATE_VERSION,
    status: 'pending',
    stage,
    attempt: randomToken(12),
    phoneMethod: user.settings.method === 'voice' ? 'voice' : 'sms',
    userId: user.identity.id,
    since: ctx.config.now(),
    returnTo,
    csrf: randomToken(24),
    method,
    destination: '',
    methods: availableMethods(user, ctx.config.channels),
    lockedUntil: 0,
    ...(hasSessionPolicy(user) ? { sessionPolicy: true as const } : {}),
  };
  writeState(req, state);
  return state;
}

/** Sends a sign-in code by `method` and records on the state what the page must show. */
export async function sendSignInCode(ctx: HttpContext, req: Request, state: PendingState, user: LoadedUser, method: DeliveryMethod, isResend: boolean): Promise<SendView> {
  const destination = destinationFor(method, user);
  if (destination === null) return { status: 400, notice: { kind: 'error', text: strings.sendFailed } };
  const outcome = await ctx.challenges.send({ userId: user.identity.id, purpose: 'sign-in', attempt: state.attempt, method, destination, clientIp: clientIp(req) });
  // A new code replaced the old one even if delivery failed. A throttled send leaves the page
  // pointing where it pointed (the previous code, if any, is still the one to type).
  if (outcome.status !== 'throttled' || state.destination === '') {
    state.method = method;
    state.destination = maskDestination(method, destination);
  }
  if (outcome.status === 'locked') state.lockedUntil = ctx.config.now() + outcome.retryAfterMs;
  if (outcome.status === 'locked-out') state.lockedOut = true;
  const view = describeSend(outcome, method, isResend);
  // A phone-only user whose phone is out of reach has no email to fall back on: the recovery code is.
  if (outcome.status === 'delivery-failed' && !state.methods.includes('email')) {
    return { ...view, notice: { kind: 'error', text: strings.sendFailedNoOtherWay } };
  }
  return view;
}

/** What the page says about a send. */
export function describeSend(outcome: SendOutcome, method: DeliveryMethod, isResend: boolean): SendView {
  const error = (status: number, text: string): SendView => ({ status, notice: { kind: 'error', text } });
  switch (outcome.status) {
    case 'sent':
      return { status: 200, notice: isResend ? { kind: 'info', text: strings.newCodeSent(method) } : undefined };
    case 'throttled':
      if (outcome.scope === 'destination') return error(429, strings.phoneSendLimited);
      if (outcome.scope === 'resend') return error(429, strings.resendIn(outcome.retryAfterMs / 1000));
      return error(429, strings.tooManyCodes(outcome.retryAfterMs / 60_000));
    case 'locked':
      return error(429, strings.lockedFor(outcome.retryAfterMs / 60_000));
    case 'locked-out':
      return error(429, strings.lockedOut);
    case 'delivery-failed':
      return error(200, strings.sendFailed);
  }
}

/** The client address Express derived (honouring the host's `trust proxy` setting). */
export function clientIp(req: Request): string | undefined {
  return req.ip ?? req.socket?.remoteAddress ?? undefined;
}

/** Renders the verification page for a pending state. */
export function renderPending(
  ctx: HttpContext,
  req: Request,
  res: Response,
  state: PendingState,
  status: number,
  notice: Notice | undefined,
  recovery: { action: string; open: boolean },
): void {
  const { config } = ctx;
  ctx.respond.html(
    req,
    res,
    status,
    renderVerifyPage({
      siteName: config.siteName,
      mountPath: config.mountPath,
      csrfToken: state.csrf,
      method: state.method,
      maskedDestination: state.destination,
      // A code that only proves the user before a first phone is added says so, and signs in nobody.
      ...(state.afterCode === 'add-phone' ? { intro: strings.proofIntro(state.destination) } : {}),
      ...(notice ? { notice } : {}),
      offerTrust: config.trust.enabled && state.afterCode === undefined,
      trustChecked: true,
      trustDays: Math.round(config.trust.ttlMs / 86_400_000),
      otherMethods: state.methods.filter((m) => m !== state.method),
      codeDisabled: state.lockedOut === true || state.lockedUntil > config.now(),
      recoveryAction: recovery.action,
      recoveryOpen: recovery.open || state.lockedOut === true,
    }),
  );
}

/** A code step other than the sign-in page itself (a phone being proved, a re-authentication). */
export interface CodeStep {
  csrf: string;
  method: DeliveryMethod;
  intro: string;
  /** The masked destination, shown in bold inside `intro`. */
  destination: string;
  notice: Notice | undefined;
  verifyAction: string;
  offerTrust: boolean;
  /** Offer "Also sign out my other sessions" (a re-authentication before a change to the second factor). */
  offerEndOthers?: boolean;
  codeDisabled: boolean;
  actions: PageActionGroup[];
}

export function renderCodeStep(ctx: HttpContext, req: Request, res: Response, status: number, step: CodeStep): void {
  const { config } = ctx;
  ctx.respond.html(
    req,
    res,
    status,
    renderCodePage({
      siteName: config.siteName,
      csrfToken: step.csrf,
      title: strings.verifyTitle,
      heading: strings.heading(step.method),
      intro: step.intro,
      introStrong: step.destination,
      ...(step.notice ? { notice: step.notice } : {}),
      verifyAction: step.verifyAction,
      offerTrust: step.offerTrust && config.trust.enabled,
      offerEndOthers: step.offerEndOthers === true,
      trustChecked: step.offerTrust,
      trustDays: Math.round(config.trust.ttlMs / 86_400_000),
      codeDisabled: step.codeDisabled,
      actions: step.actions,
    }),
  );
}

/** The phone-number form, at sign-in (enrolment) or in settings (a change). */
export function renderPhoneEntry(
  ctx: HttpContext,
  req: Request,
  res: Response,
  status: number,
  form: Omit<PhoneEntryPageModel, 'siteName' | 'phone' | 'notice'> & { typed: string | undefined; notice: Notice | undefined },
): void {
  const { typed, notice, ...model } = form;
  ctx.respond.html(
    req,
    res,
    status,
    renderPhoneEntryPage({ siteName: ctx.config.siteName, ...model, ...(typed !== undefined ? { phone: typed } : {}), ...(notice ? { notice } : {}) }),
  );
}

/**
 * Marks the session fully signed in under a new session id, and stores it before anything says so:
 * a session store that fails or does not answer is a StoreUnavailableError (the 503).
 */
export async function completeSignIn(ctx: HttpContext, req: Request, userId: string, via: 'trusted-device' | 'other', sessionPolicy: boolean): Promise<void> {
  await regenerateSession(req, ctx.config.storeTimeoutMs);
  const now = ctx.config.now();
  const rules = ctx.config.sessionPolicy;
  const policy = sessionPolicy
    ? { idleMs: rules.idleMs, absoluteUntil: now + rules.absoluteMs, ...(rules.bindNetwork ? { network: clientNetwork(req.ip ?? '') } : {}) }
    : undefined;
  writeState(req, { v: STATE_VERSION, status: 'verified', userId, verifiedAt: now, csrf: randomToken(24), ...(policy ? { policy } : {}) });
  // The index entry and the session go out together (no extra wait). A session stored as signed in
  // must be indexed, so it can be listed and ended: if the index write fails, the stored session is
  // destroyed again and the answer is the 503.
  const [indexed, stored] = await Promise.allSettled([ctx.sessions.record(req, userId), commitSession(req, ctx.config.storeTimeoutMs)]);
  if (indexed.status === 'rejected') {
    if (stored.status === 'fulfilled') await ctx.sessions.destroy(req).catch(() => undefined);
    throw indexed.reason;
  }
  if (stored.status === 'rejected') throw stored.reason;
  // A browser the user had trusted is not news; any other sign-in is worth a line, in case it was not them.
  if (via !== 'trusted-device') {
    const place = ctx.config.placeHint?.(req)?.slice(0, 100);
    ctx.notices.send(userId, { kind: 'new-sign-in', label: deviceLabel(req.headers['user-agent']), at: now, ...(place ? { place } : {}) });
  }
}

/**
 * After a correct code: trusts this browser when the user asked, then signs in under a new session
 * id. The session is marked verified only once every write of the step succeeded, and the cookie and
 * the "browser trusted" email go out only after that: if a write fails the user gets the 503 and is
 * not signed in, and no browser holds the new device (it is removed again, if the store lets us).
 */
export async function finishSignIn(ctx: HttpContext, req: Request, res: Response, state: PendingState, trust: boolean): Promise<void> {
  const { userId, returnTo } = state;
  const trusted = ctx.config.trust.enabled && trust ? await ctx.devices.trust(userId, req.headers['user-agent'], ctx.config.placeHint?.(req)) : undefined;
  try {
    await completeSignIn(ctx, req, userId, 'other', state.sessionPolicy === true);
  } catch (error) {
    if (trusted) ctx.devices.revoke(userId, trusted.device.id, { kind: 'user' }).catch(() => undefined);
    throw error;
  }
  if (trusted) {
    ctx.cookie.write(req, res, trusted.token, ctx.devices.userTag(userId));
    ctx.notices.send(userId, { kind: 'device-trusted', label: trusted.device.label, at: trusted.device.createdAt });
  }
  ctx.respond.redirect(req, res, returnTo);
}

/** Whether a pending sign-in has waited too long for its code. */
export function isExpired(ctx: HttpContext, state: PendingState): boolean {
  return ctx.config.now() - state.since > ctx.config.pendingTtlMs;
}

/** The 503 answer when the store (or the host's settings database, or the session store) cannot be reached: fail closed. */
export function unavailable(ctx: HttpContext, req: Request, res: Response): void {
  ctx.respond.unavailable(req, res);
}
