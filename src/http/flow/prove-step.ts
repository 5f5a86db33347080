import type { Request, Response } from 'express';
import type { ChallengeRef } from '../../core/challenges';
import type { Method } from '../../core/method';
import { randomToken } from '../../core/secrets';
import type { LoadedUser } from '../../core/users';
import { methodSays, say, type Message } from '../../views/messages';
import { renderVerifyPage, type MethodDisplay } from '../../views/verify-page';
import type { Words } from '../../views/words';
import { clientIp, type HttpContext } from '../http-context';
import type { ChangeGoal, ProveStep, SignInGoal } from '../session-state';
import { nextFor, type Frame, type Next, type Rendering } from './frame';
import { reached } from './goals';
import { codeTimesOf, renderStepPage } from './step-page';
import { describeFailure, describeSend, noteSend, recoveryFailure, type Failure, type View } from './outcomes';

/** The prove step's challenge: a sign-in's codes are never a re-authentication's. */
export function refOf(step: ProveStep): ChallengeRef {
  return { purpose: step.goal.kind === 'change' ? 'reauth' : 'sign-in', attempt: step.attempt };
}

/** A new prove step for `user`, before its method starts. */
export function proveStep<G extends SignInGoal | ChangeGoal>(ctx: HttpContext, user: LoadedUser, goal: G): ProveStep<G> {
  return {
    step: 'prove',
    goal,
    attempt: randomToken(12),
    since: ctx.config.now(),
    method: 'email',
    destination: '',
    methods: ctx.methods.usable(user).map((m) => m.id),
    lockedUntil: 0,
  };
}

/**
 * Starts `method` on the step (sends a code, or prepares a prompt) and records on the step what the
 * page must show. A throttled send leaves the page pointing where it pointed (the previous code, if
 * any, is still the one to type).
 */
export async function startMethod(
  ctx: HttpContext,
  req: Request,
  step: ProveStep,
  user: LoadedUser,
  method: Method,
  isResend: boolean,
): Promise<View> {
  const locale = ctx.languages.outOfBand(user.identity, ctx.languages.of(req).lang);
  const outcome = await method.start({ user, ref: refOf(step), clientIp: clientIp(req), locale }, ctx.methodServices);
  if (outcome.status === 'ready') {
    step.method = method.id;
    step.destination = outcome.destination ?? '';
    if (outcome.state === undefined) delete step.methodState;
    else step.methodState = outcome.state;
    delete step.codeExpiresAt;
    delete step.resendAt;
    return { status: 200, notice: undefined };
  }
  if (outcome.status !== 'throttled' || step.destination === '') {
    step.method = method.id;
    step.destination = outcome.destination;
    delete step.methodState;
    delete step.codeExpiresAt;
    delete step.resendAt;
  }
  // A throttle of another method holds the step's own only when it is the user's quota (shared by all).
  if (step.method === method.id || (outcome.status === 'throttled' && outcome.scope === 'user'))
    noteSend(step, outcome, ctx.config.now(), ctx.config.resendWaitMs);
  if (outcome.status === 'locked') step.lockedUntil = ctx.config.now() + outcome.retryAfterMs;
  if (outcome.status === 'locked-out') step.lockedOut = true;
  const view = describeSend(outcome, method.id, isResend);
  // A phone-only user whose phone is out of reach has no email to fall back on: the recovery code is.
  if (outcome.status === 'delivery-failed' && !step.methods.includes('email')) {
    return { ...view, notice: { kind: 'error', message: say('sendFailedNoOtherWay') } };
  }
  return view;
}

function display(method: Method, words: Words): MethodDisplay | undefined {
  const strings = words.method(method.id);
  return strings && { id: method.id, strings, resendable: method.resendable };
}

export function renderProve(ctx: HttpContext, req: Request, res: Response, frame: Frame, step: ProveStep, r: Rendering): void {
  const { config } = ctx;
  const { words } = frame;
  const method = ctx.methods.get(step.method);
  const shown = method && display(method, words);
  if (!method || !shown) {
    // A method this configuration no longer offers (a deploy in between): start again.
    return ctx.respond.message(req, res, 401, (t) => ({
      title: t.sessionExpiredTitle,
      text: t.sessionExpired,
      link: { href: config.loginPath, label: t.signInAgain },
    }));
  }
  const disabled = step.lockedOut === true || step.lockedUntil > config.now();
  const view = ctx.methodViews.get(method.id);
  const answer =
    method.answer === 'prompt' && view?.prompt
      ? view.prompt({
          csrfToken: frame.state.csrf,
          action: `${frame.base}/verify`,
          disabled,
          mountPath: config.mountPath,
          state: step.methodState,
          words: shown.strings,
          page: words,
        })
      : undefined;
  const others = step.methods.flatMap((id) => {
    const other = ctx.methods.get(id);
    const otherShown = other && other.id !== method.id ? display(other, words) : undefined;
    return otherShown ? [otherShown] : [];
  });
  const notice = ctx.languages.shown(r.notice, words);
  const trustDays = Math.round(config.trust.ttlMs / 86_400_000);
  if (frame.kind === 'sign-in') {
    const goal = step.goal;
    return ctx.respond.html(
      req,
      res,
      r.status,
      renderVerifyPage({
        siteName: config.siteName,
        words,
        logo: config.logo,
        mountPath: config.mountPath,
        csrfToken: frame.state.csrf,
        method: shown,
        maskedDestination: step.destination,
        // A code that only proves the user before a first phone is added says so, and signs in nobody.
        ...(goal.kind === 'add-phone' ? { intro: words.t.proofIntro(step.destination) } : {}),
        ...(notice ? { notice } : {}),
        offerTrust: config.trust.enabled && goal.kind === 'sign-in',
        trustChecked: true,
        trustDays,
        otherMethods: others,
        codeDisabled: disabled,
        codeTimes: codeTimesOf(ctx, frame, step),
        ...(answer ? { answer } : {}),
        recoveryAction: `${config.mountPath}/recovery`,
        recoveryOpen: r.recoveryOpen === true || step.lockedOut === true,
        answerRefused: r.refused === true,
      }),
    );
  }
  // A re-authentication before a change: switching 2FA on proves the method chosen for it, no other.
  const change = step.goal.kind === 'change' ? step.goal.change : undefined;
  const switchable = change?.kind === 'enable' ? [] : others;
  renderStepPage(ctx, req, res, frame, r, {
    heading: shown.strings.heading,
    intro: shown.strings.reauthIntro(step.destination),
    destination: step.destination,
    offerTrust: false,
    offerEndOthers: true,
    codeDisabled: disabled,
    codeTimes: codeTimesOf(ctx, frame, step),
    ...(answer ? { answer } : {}),
    actions: [
      {
        actions: [
          ...(method.resendable ? [{ action: `${frame.base}/resend`, label: words.t.resendButton }] : []),
          ...switchable.map((m) => ({ action: `${frame.base}/resend`, label: m.strings.switchTo, name: 'method', value: m.id })),
          { action: `${frame.base}/cancel`, label: words.t.cancel },
        ],
      },
    ],
  });
}

/** The answer to the step's method: a failure shows the step again; success leads to the step's goal. */
export async function verifyProve(
  ctx: HttpContext,
  req: Request,
  res: Response,
  frame: Frame,
  step: ProveStep,
  form: Record<string, string>,
): Promise<Next> {
  const method = ctx.methods.get(step.method);
  if (!method) return { to: 'render', status: 400 };
  const outcome = await method.check(
    { userId: frame.state.userId, ref: refOf(step), state: step.methodState, answer: form },
    ctx.methodServices,
  );
  // The method's own words for an answer of the wrong shape, when it has them (every table of a method has the same keys).
  const malformed = frame.words.method(method.id)?.malformed !== undefined ? methodSays(method.id, 'malformed') : undefined;
  if (outcome.status !== 'verified') return rejected(ctx, frame, step, outcome, malformed);
  return reached(ctx, req, res, frame, step, form);
}

/** "Send a new code", or "use another way" (`method` in the form). */
export async function resendProve(
  ctx: HttpContext,
  req: Request,
  _res: Response,
  frame: Frame,
  step: ProveStep,
  form: Record<string, string>,
): Promise<Next> {
  const id = form.method ?? step.method;
  const method = ctx.methods.get(id);
  const allowed =
    step.methods.includes(id as ProveStep['method']) &&
    !(step.goal.kind === 'change' && step.goal.change.kind === 'enable' && id !== step.method);
  if (!method || !allowed) return { to: 'render', status: 400, notice: { kind: 'error', message: say('sendFailed') } };
  const user = await ctx.directory.load(frame.state.userId);
  const view = await startMethod(ctx, req, step, user, method, true);
  return nextFor(view);
}

/** A recovery code instead (sign-in only): it also clears a lock-out. */
export async function recoveryProve(
  ctx: HttpContext,
  req: Request,
  res: Response,
  frame: Frame,
  step: ProveStep,
  form: Record<string, string>,
): Promise<Next> {
  if (frame.kind !== 'sign-in') return { to: 'render', status: 400 };
  const outcome = await ctx.recovery.use(frame.state.userId, form.recoveryCode ?? '');
  if (outcome.status !== 'verified') {
    const next = rejected(ctx, frame, step, recoveryFailure(outcome));
    return { ...next, recoveryOpen: true, ...(next.status !== 429 ? { notice: { kind: 'error', message: say('recoveryInvalid') } } : {}) };
  }
  ctx.notices.send(frame.state.userId, { kind: 'recovery-used', remaining: outcome.remaining }, frame.words.lang);
  delete step.lockedOut;
  step.lockedUntil = 0;
  return reached(ctx, req, res, frame, step, form);
}

/** A failed answer: the page again, with why, and the form disabled while locked (the first lock of a streak is worth a notice). */
export function rejected(
  ctx: HttpContext,
  frame: Frame,
  step: { lockedUntil: number; lockedOut?: true },
  outcome: Failure,
  malformed?: Message,
): Rendering {
  const { config } = ctx;
  const userId = frame.state.userId;
  if (outcome.status === 'locked-out') {
    step.lockedOut = true;
    if (outcome.justLockedOut) ctx.notices.send(userId, { kind: 'locked-out' }, frame.words.lang);
  }
  const lockedForMs = 'lockedForMs' in outcome ? outcome.lockedForMs : outcome.status === 'locked' ? outcome.retryAfterMs : 0;
  if (lockedForMs > 0) {
    step.lockedUntil = config.now() + lockedForMs;
    if (lockedForMs === config.lockout.baseMs && outcome.status !== 'locked')
      ctx.notices.send(userId, { kind: 'failed-codes', failures: config.lockout.threshold }, frame.words.lang);
  }
  const { status, notice } = describeFailure(outcome, malformed);
  return { to: 'render', status, notice, refused: true };
}
