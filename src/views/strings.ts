import type { CodePurpose } from '../channels/channel';
import type { DeliveryMethod } from '../types';

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/**
 * Every user-facing string, in English, in one place so it can be translated. Strings that take
 * parameters are functions. Values are plain text: the views escape them.
 *
 * `codeSentTo` receives the destination as an argument so a translation can put it anywhere in the
 * sentence; the verify page wraps it in <strong> itself.
 */
export const strings = {
  /** How each method is named in running text. */
  methodName: {
    email: 'email',
    sms: 'text message',
    voice: 'phone call',
  } satisfies Record<DeliveryMethod, string>,

  // ---- Verify page ----
  verifyTitle: 'Verify it’s you',
  heading: (method: DeliveryMethod): string =>
    method === 'email' ? 'Check your email' : method === 'sms' ? 'Check your phone' : 'Answer your phone',
  codeSentTo: (method: DeliveryMethod, maskedDestination: string): string =>
    method === 'email'
      ? `We sent a 6-digit code to ${maskedDestination}.`
      : method === 'sms'
        ? `We sent a 6-digit code by text message to ${maskedDestination}.`
        : `We’re calling ${maskedDestination} to read you a 6-digit code.`,
  codeLabel: 'Enter the 6-digit code',
  trustLabel: (days: number): string => `Trust this browser for ${plural(days, 'day', 'days')}`,
  trustHint: 'You won’t be asked for a code here during that time. Leave this unticked on a shared or public computer.',
  verifyButton: 'Verify',
  resendHeading: 'Didn’t get a code?',
  resendButton: 'Send a new code',
  otherMethodsHeading: 'Send the code another way',
  otherMethodButton: (method: DeliveryMethod): string =>
    method === 'email' ? 'Email me a code' : method === 'sms' ? 'Text me a code' : 'Call me with a code',
  signOutButton: 'Cancel and sign out',
  lockedHint: 'You can enter a code again once the lock-out ends.',

  /** Read before a notice by screen readers and shown next to its icon. */
  noticePrefix: { error: 'Error:', info: 'Note:' },

  // ---- Notices on the verify page ----
  attemptsLeft: (n: number): string =>
    n <= 0 ? 'You have no tries left for this code.' : `You have ${plural(n, 'try', 'tries')} left.`,
  wrongCode: (attemptsLeft: number): string => `That code isn’t right. ${strings.attemptsLeft(attemptsLeft)}`,
  codeExpired: 'That code has expired. Send yourself a new one below.',
  tooManyAttempts: 'That code was entered wrongly too many times. Send yourself a new one below.',
  lockedFor: (minutes: number): string =>
    `Too many failed attempts. Try again in ${plural(Math.max(1, Math.ceil(minutes)), 'minute', 'minutes')}.`,
  resendIn: (seconds: number): string =>
    `Please wait ${plural(Math.max(1, Math.ceil(seconds)), 'second', 'seconds')} before asking for another code.`,
  codeFormat: 'The code is 6 digits. Check it and try again.',
  newCodeSent: (method: DeliveryMethod): string =>
    method === 'voice'
      ? 'We’re calling you with a new code. Only the newest code works.'
      : 'We sent a new code. It can take a minute to arrive. Only the newest code works.',
  sendFailed: 'We couldn’t send a code just now. Try another way, or try again in a few minutes.',

  // ---- Message pages (4xx / 503) ----
  unavailableTitle: 'Verification is unavailable',
  unavailable: 'We can’t verify codes right now. Please try again in a few minutes.',
  sessionExpiredTitle: 'Your sign-in expired',
  sessionExpired: 'Your sign-in took too long and has expired. Please sign in again.',
  signInAgain: 'Sign in again',
  formExpiredTitle: 'This form has expired',
  formExpired: 'This form has expired. Reload the page and try again.',
  backToVerify: 'Back to the verification page',
  notFoundTitle: 'Page not found',
  notFound: 'There’s nothing at this address.',
  tooLargeTitle: 'Request too large',
  tooLarge: 'That request was too large. Go back and try again.',
  errorTitle: 'Something went wrong',
  error: 'Something went wrong on our side. Please try again in a few minutes.',

  // ---- Codes sent by email, SMS and voice ----
  codeSubject: (code: string, siteName: string): string => `${code} is your ${siteName} verification code`,
  codeIntro: (siteName: string, purpose: CodePurpose): string =>
    purpose === 'enroll-phone'
      ? `Use this code to confirm your phone number for ${siteName}:`
      : `Use this code to finish signing in to ${siteName}:`,
  codeExpires: (minutes: number): string => `This code expires in ${plural(minutes, 'minute', 'minutes')}.`,
  notYou: (purpose: CodePurpose): string =>
    `${purpose === 'enroll-phone' ? 'If you didn’t ask for this code' : 'If you didn’t try to sign in'}, someone may know your password: change it now, and don’t share this code with anyone.`,
  /** Plain ASCII on purpose: one curly apostrophe would switch the SMS to UCS-2 and shorten its segments. */
  codeSms: (code: string, siteName: string, minutes: number): string =>
    `${code} is your ${siteName} verification code. It expires in ${plural(minutes, 'minute', 'minutes')}. Don't share it.`,
  codeSpeech: (siteName: string, spokenDigits: string): string =>
    `Your ${siteName} verification code is: ${spokenDigits}. Again: ${spokenDigits}.`,
  codeSpeechExpires: (minutes: number): string => `It expires in ${plural(minutes, 'minute', 'minutes')}. Goodbye.`,

  // ---- Development outbox ----
  outboxTitle: 'Development outbox',
  outboxBanner: 'Development outbox — never enabled in production',
  outboxIntro: 'Codes the library would have sent, newest first. Reload the page to see new ones.',
  outboxEmpty: 'No codes have been sent yet.',
  outboxColumns: { at: 'Sent', method: 'Method', to: 'To', purpose: 'Purpose', code: 'Code' },
};

/** The shape a translation must have. */
export type ViewStrings = typeof strings;
