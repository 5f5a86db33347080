import type { Request } from 'express';
import type { CodePurpose } from '../core/channel';
import type { Actor } from '../core/events';
import { maskPhone } from '../core/mask';
import { normalisePhone, type PhoneRejection } from '../core/phone';
import type { UserIdentity, UserSettings } from '../types';
import { say, type StringKey } from '../views/messages';
import { describeSend, noteSend, type View } from './flow/outcomes';
import { clientIp, type HttpContext } from './http-context';
import type { CodeTimes, PhoneEnrolment, PhoneMethod } from './session-state';

const PHONE_METHODS: readonly PhoneMethod[] = ['sms', 'voice'];

const REJECTIONS: Record<PhoneRejection, StringKey> = {
  invalid: 'phoneInvalid',
  'not-possible': 'phoneNotPossible',
  'country-not-allowed': 'phoneCountryNotAllowed',
  'not-mobile-or-fixed': 'phoneNotMobileOrFixed',
  'no-country': 'phoneNoCountry',
};

// Twilio's answers that mean "this number cannot take this kind of message".
const NUMBER_REJECTED = new Set(['ERR_2FA_INVALID_NUMBER', 'ERR_2FA_UNREACHABLE']);

export type PhoneSubmission = { ok: true; enrolment: PhoneEnrolment } | { ok: false; view: View; method: PhoneMethod };

/** The method a phone form asked for, when a channel for it exists. */
export function phoneMethodFrom(ctx: HttpContext, value: string | undefined, fallback: PhoneMethod): PhoneMethod | undefined {
  const method = (value ?? fallback) as PhoneMethod;
  return PHONE_METHODS.includes(method) && ctx.config.channels[method] ? method : undefined;
}

/**
 * A number typed on a phone form: read it, then send a code to it. The number becomes the user's
 * only when that code comes back (`confirmPhone`); until then it is used for nothing else.
 */
export async function submitPhone(
  ctx: HttpContext,
  req: Request,
  userId: string,
  attempt: string,
  form: Record<string, string>,
  fallback: PhoneMethod,
  times: CodeTimes,
): Promise<PhoneSubmission> {
  const method = phoneMethodFrom(ctx, form.method, fallback);
  if (!method) return { ok: false, method: fallback, view: { status: 400, notice: { kind: 'error', message: say('methodNeedsPhone') } } };
  const parsed = normalisePhone(form.phone ?? '', ctx.config.phone);
  if (!parsed.ok)
    return { ok: false, method, view: { status: 400, notice: { kind: 'error', message: { key: REJECTIONS[parsed.reason] } } } };
  return sendToPhone(ctx, req, userId, attempt, { phone: parsed.e164, method }, false, times);
}

/**
 * Sends (or re-sends) the enrolment code to the number being proved, for the flow's `attempt`, in the
 * user's language (`user`: their identity when it is loaded already, else their id), and notes on
 * `times` when it expires and when another can be sent.
 */
export async function sendToPhone(
  ctx: HttpContext,
  req: Request,
  user: string | UserIdentity,
  attempt: string,
  enrolment: PhoneEnrolment,
  isResend: boolean,
  times: CodeTimes,
): Promise<PhoneSubmission> {
  const identity = typeof user === 'string' ? await ctx.directory.identity(user) : user;
  const userId = identity.id;
  const outcome = await ctx.challenges.send({
    userId,
    locale: ctx.languages.outOfBand(identity, ctx.languages.of(req).lang),
    purpose: 'enroll-phone',
    attempt,
    method: enrolment.method,
    destination: enrolment.phone,
    clientIp: clientIp(req),
  });
  noteSend(times, outcome, ctx.config.now(), ctx.config.resendWaitMs);
  if (outcome.status === 'sent') return { ok: true, enrolment };
  if (outcome.status === 'delivery-failed' && NUMBER_REJECTED.has(outcome.error.code)) {
    return {
      ok: false,
      method: enrolment.method,
      view: { status: 400, notice: { kind: 'error', message: say('phoneCantReceive', enrolment.method) } },
    };
  }
  return { ok: false, method: enrolment.method, view: describeSend(outcome, enrolment.method, isResend) };
}

/**
 * The number is proved: it becomes the user's verified phone (and their method, the one the code
 * came by). The host hears of it through `onPhoneVerified`, the user by email.
 */
export async function confirmPhone(
  ctx: HttpContext,
  userId: string,
  challenge: { destination: string; method: string },
  by: Actor,
  purpose: CodePurpose,
  /** The language of the request that proved it, for the notice. */
  requestLocale: string,
): Promise<UserSettings> {
  const method = challenge.method as PhoneMethod;
  // A number an admin typed in, if any, is settled too: this one is now proved.
  const settings = await ctx.settings.updateUserSettings(userId, { phone: challenge.destination, method, unverifiedPhone: null });
  await ctx.config.onPhoneVerified?.(userId, challenge.destination);
  const phone = maskPhone(challenge.destination);
  if (purpose === 'sign-in') ctx.events.emit({ type: 'phone.enrolled', userId, phone });
  else ctx.events.emit({ type: 'phone.changed', userId, phone, by });
  ctx.notices.send(userId, { kind: 'phone-changed', phone }, requestLocale);
  return settings;
}
