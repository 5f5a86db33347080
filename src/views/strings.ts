import type { CodePurpose } from '../core/channel';
import { atLeastOne, plurals, type CountForms } from './counting';

const { count } = plurals('en');

/**
 * Every user-facing string of the library's own pages and messages, in English: the table every
 * other language is held to (`Strings` is its type, so a translation missing a key, or with a
 * function of other parameters, fails to compile). Each method's own words are in its folder
 * (`src/methods/<id>/strings*.ts`). Strings that take parameters are functions; plurals go through
 * `Intl.PluralRules` (`counter`). Values are plain text: the views escape them.
 *
 * `codeSentTo` receives the destination as an argument so a translation can put it anywhere in the
 * sentence; the verify page wraps it in <strong> itself.
 */
export const en = {
  /** The locale `Intl` formats this table's dates and numbers in (British: "23 Nov 2026, 18:05 UTC"). */
  intlLocale: 'en-GB',
  /** The language Twilio's text-to-speech reads voice codes in (`<Say language>`). */
  voiceLanguage: 'en-US',

  // ---- Verify page ----
  verifyTitle: 'Verify it’s you',
  codeLabel: 'Enter the 6-digit code',
  trustLabel: (days: number): string => `Trust this browser for ${count(days, { one: 'day', other: 'days' })}`,
  trustHint: 'You won’t be asked for a code here during that time. Leave this unticked on a shared or public computer.',
  verifyButton: 'Verify',
  resendHeading: 'Didn’t get a code?',
  resendButton: 'Send a new code',
  otherMethodsHeading: 'Use another way',
  signOutButton: 'Cancel and sign out',
  /** Under the code page's heading, for someone who is not the user whose password was typed. */
  notYouPrompt: 'Not you?',
  notYouButton: 'Sign out',
  lockedHint: 'You can enter a code again once the lock-out ends.',

  /** Read before a notice by screen readers and shown next to its icon. */
  noticePrefix: { error: 'Error:', info: 'Note:' },

  // ---- Notices on the verify page ----
  attemptsLeft: (n: number): string =>
    n <= 0 ? 'You have no tries left for this code.' : `You have ${count(n, { one: 'try', other: 'tries' })} left.`,
  wrongCode: (attemptsLeft: number): string => `That code isn’t right. ${en.attemptsLeft(attemptsLeft)}`,
  /** An answer with no per-code try count (an authenticator code, a passkey): only the lock-out limits it. */
  wrongAnswer: 'That didn’t work. Check it and try again.',
  codeExpired: 'That code has expired. Send yourself a new one below.',
  tooManyAttempts: 'That code was entered wrongly too many times. Send yourself a new one below.',
  lockedFor: (minutes: number): string =>
    `Too many failed attempts. Try again in ${count(atLeastOne(minutes), { one: 'minute', other: 'minutes' })}.`,
  resendIn: (seconds: number): string =>
    `Please wait ${count(atLeastOne(seconds), { one: 'second', other: 'seconds' })} before asking for another code.`,
  /** The per-user quota, shared by every sign-in and method. */
  tooManyCodes: (minutes: number): string =>
    `Too many codes were sent to you recently. You can ask for a new one in ${count(atLeastOne(minutes), { one: 'minute', other: 'minutes' })}.`,
  lockedOut:
    'Too many wrong codes were entered, so codes are switched off for your account. Sign in with a recovery code, or ask your administrator to unlock your account.',
  proofIntro: (maskedEmail: string): string => `Before you add a phone number, confirm it’s you: we sent a 6-digit code to ${maskedEmail}.`,
  codeFormat: 'The code is 6 digits. Check it and try again.',
  sendFailed: 'We couldn’t send a code just now. Try another way, or try again in a few minutes.',
  /** A phone-only user (no email to fall back on): the recovery code is the way out. */
  sendFailedNoOtherWay: 'We couldn’t reach your phone just now. Try again in a few minutes, or use a recovery code.',
  noActiveCode: 'There’s no code waiting to be entered. Send yourself a new one below.',

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
  crossSiteTitle: 'Request refused',
  crossSite: 'This form was sent from another site, so nothing was changed. Go back to the page and try again.',
  badAddressTitle: 'Bad address',
  badAddress: 'That address is malformed. Check it and try again.',
  badFormTitle: 'This form could not be used',
  badForm: 'The form could not be read. Reload the page and try again.',
  signInFailedTitle: 'We couldn’t sign you in',
  signInFailed:
    'Your password was right, but this account can’t be signed in to right now, so nothing changed. Try again later, or contact support if it keeps happening.',

  // ---- Codes sent by email, SMS and voice ----
  codeSubject: (code: string, siteName: string): string => `${code} is your ${siteName} verification code`,
  codeIntro: (siteName: string, purpose: CodePurpose): string =>
    ({
      'enroll-phone': `Use this code to confirm your phone number for ${siteName}:`,
      reauth: `Use this code to confirm it’s you before changing your ${siteName} security settings:`,
      'sign-in': `Use this code to finish signing in to ${siteName}:`,
    })[purpose],
  codeExpires: (minutes: number): string => `This code expires in ${count(minutes, { one: 'minute', other: 'minutes' })}.`,
  notYou: (purpose: CodePurpose): string =>
    `${purpose === 'sign-in' ? 'If you didn’t try to sign in' : 'If you didn’t ask for this code'}, someone may know your password: change it now, and don’t share this code with anyone.`,
  /** Plain ASCII on purpose: one curly apostrophe would switch the SMS to UCS-2 and shorten its segments. */
  codeSms: (code: string, siteName: string, minutes: number): string =>
    `${code} is your ${siteName} verification code. It expires in ${count(minutes, { one: 'minute', other: 'minutes' })}. Don't share it.`,
  codeSpeech: (siteName: string, spokenDigits: string): string =>
    `Your ${siteName} verification code is: ${spokenDigits}. Again: ${spokenDigits}.`,
  codeSpeechExpires: (minutes: number): string => `It expires in ${count(minutes, { one: 'minute', other: 'minutes' })}. Goodbye.`,

  // ---- Code pages other than sign-in (phone enrolment, re-authentication) ----
  endOthersLabel: 'Also sign out my other sessions',
  enrolTitle: 'Confirm your phone number',
  confirmNumber: 'Enter it to confirm the number.',
  useDifferentNumber: 'Use a different number',
  adminPhoneFixed: 'Your administrator set this number. Enter the code sent to it, or ask them to change it.',
  cancel: 'Cancel',

  // ---- Phone entry page ----
  phoneAddHeading: 'Add your phone number',
  phoneChangeHeading: 'Change your phone number',
  phoneSignInIntro: 'Your account needs a phone number for verification codes. We’ll send a code to confirm it.',
  phoneAddIntro: 'We’ll send a code to the number to confirm it.',
  phoneChangeIntro: 'We’ll send a code to the new number to confirm it. Until then, your codes keep going to your current number.',
  phoneLabel: 'Phone number',
  phoneHint: 'Include the country code, e.g. +1 415 555 0100',
  phoneMethodLegend: 'How should we send the code?',
  sendCodeButton: 'Send code',
  phoneInvalid: 'That doesn’t look like a phone number. Include the country code, e.g. +1 415 555 0100.',
  phoneNotPossible: 'That number has too few or too many digits for its country. Check it and include the country code.',
  phoneCountryNotAllowed: 'We can’t send codes to numbers in that country.',
  phoneNotMobileOrFixed: 'That number can’t receive verification codes (premium-rate, toll-free and similar numbers are not supported).',
  phoneNoCountry: 'We can’t send codes to satellite phones or numbers of international networks. Use a number of your country.',
  phoneCantReceive: (method: 'sms' | 'voice'): string =>
    method === 'sms' ? 'That number can’t receive text messages.' : 'That number can’t receive calls.',
  phoneSendLimited: 'Too many codes were sent to that number or from your network. Try again later.',
  phoneChanged: 'Your phone number was changed.',
  methodNeedsPhone: 'Add a phone number before choosing text messages or phone calls.',
  emailCodesOffButton: 'Don’t send codes by email',
  emailCodesOnButton: 'Send codes by email again',
  emailCodesOffHint: 'Your codes go only to your phone. If you can’t get them, sign in with a recovery code.',
  emailCodesSwitched: (allowed: boolean): string =>
    allowed ? 'Codes can be sent by email again.' : 'Codes won’t be sent by email any more: only to your phone.',
  emailCodesSwitchedText: (siteName: string, allowed: boolean): string =>
    allowed
      ? `Your ${siteName} verification codes may be sent by email again.`
      : `Your ${siteName} verification codes will no longer be sent by email, only to your phone.`,

  // ---- Settings page ----
  settingsTitle: 'Two-step verification',
  statusEnforced: 'Your organisation requires two-step verification.',
  statusOn: 'Two-step verification is on for your account.',
  statusOff: 'Two-step verification is off for your account.',
  enableLegend: 'Turn it on: we’ll send a code to confirm the method you choose.',
  enableButton: 'Turn on two-step verification',
  disableButton: 'Turn off two-step verification',
  switchedOn: 'Two-step verification is on. You’ll get a code when you sign in on a browser you haven’t trusted.',
  switchedOff: 'Two-step verification is off.',
  cannotSwitchOff: 'Your organisation requires two-step verification, so it can’t be turned off.',
  methodHeading: 'How you confirm it’s you',
  saveButton: 'Save',
  phoneHeading: 'Phone number',
  phoneNone: 'None',
  addPhoneButton: 'Add a phone number',
  changePhoneButton: 'Change phone number',
  sessionsHeading: 'Where you’re signed in',
  sessionColumns: { signedIn: 'Signed in', lastActive: 'Last active', place: 'Location' },
  thisSession: 'This session',
  signOutSessionButton: 'Sign out',
  signOutOthersButton: 'Sign out all other sessions',
  sessionEnded: 'That session is signed out.',
  sessionsEnded: (n: number): string =>
    n <= 0
      ? 'There were no other sessions to sign out.'
      : `${count(n, { one: 'other session is', other: 'other sessions are' })} signed out.`,
  credentialColumns: { added: 'Added', lastUsed: 'Last used' },
  removeButton: 'Remove',
  credentialNotFound: 'That was already removed.',
  devicesHeading: 'Trusted browsers',
  devicesIntro: 'These browsers don’t ask for a code when you sign in, until they expire or you revoke them.',
  devicesEmpty: 'You haven’t trusted any browsers. Tick “Trust this browser” when you enter a code to add one.',
  /** A browser whose User-Agent named nothing (stored unnamed). */
  unknownBrowser: 'Unknown browser',
  thisBrowser: 'This browser',
  /** The same inside a sentence, for screen readers after a browser's name ("Revoke Chrome 131 (macOS) (this browser)"). */
  thisBrowserInText: 'this browser',
  deviceColumns: { trusted: 'Trusted', lastUsed: 'Last used', place: 'Location', expires: 'Expires' },
  revokeButton: 'Revoke',
  revokeAllButton: 'Revoke all',
  deviceRevoked: 'That browser is no longer trusted.',
  devicesRevoked: (n: number): string =>
    n <= 0 ? 'There were no trusted browsers to revoke.' : `${count(n, { one: 'browser is', other: 'browsers are' })} no longer trusted.`,
  deviceNotFound: 'That browser was already revoked or has expired.',
  revokeCurrentHint: 'If you revoke this browser, you’ll be asked for a code the next time you sign in here.',
  recoveryHeading: 'Recovery codes',
  recoveryIntro: 'If you can’t get a code, for example because you lost your phone, you can sign in with a recovery code.',
  recoveryLeft: (n: number): string =>
    n <= 0
      ? 'You have no unused recovery codes.'
      : `You have ${count(n, { one: 'unused recovery code', other: 'unused recovery codes' })}.`,
  recoveryRegenerateWarning: 'Generating new codes makes all your old codes stop working.',
  recoveryGenerateButton: 'Generate new recovery codes',
  back: 'Back',
  unknownDate: 'unknown',
  clientsHeading: 'Apps that can’t ask for a code',
  clientsIntro: 'Mapped drives, desktop sync apps and API tokens sign in to your account without a verification code.',
  clientsAllowed: 'They can reach your account.',
  clientsBlocked: 'They are blocked: only a browser that passed two-step verification can reach your account.',
  clientsBlockedByAccount: 'Your organisation blocks them for every user.',
  blockClientsButton: 'Block these apps',
  allowClientsButton: 'Allow these apps again',
  allowClientsHint: 'We’ll send you a code first to confirm it’s you.',
  clientsSwitched: (blocked: boolean): string =>
    blocked ? 'Apps that can’t ask for a code are blocked now.' : 'Apps that can’t ask for a code can reach your account again.',

  // ---- Blocked clients (a non-browser client refused) ----
  clientBlockedTitle: 'This app is blocked',
  clientBlockedByUser:
    'This app can’t sign in to your account: you blocked apps that can’t ask for a verification code (mapped drives, desktop sync, API tokens). Use the website, or allow these apps again in your security settings.',
  clientBlockedByAccount:
    'This app can’t sign in to your account: your organisation blocks apps that can’t ask for a verification code (mapped drives, desktop sync, API tokens). Use the website instead.',
  openSettings: 'Open security settings',

  // ---- Recovery codes ----
  recoverySummary: 'Use a recovery code instead',
  recoveryLabel: 'Recovery code',
  recoveryHint: 'Each recovery code works only once.',
  recoveryButton: 'Use recovery code',
  recoveryInvalid: 'That recovery code isn’t valid.',
  recoveryUsed: (remaining: number): string =>
    remaining <= 0
      ? 'You signed in with a recovery code. You have no recovery codes left; generate new ones in settings.'
      : `You signed in with a recovery code. You have ${remaining} left; generate new ones in settings.`,
  recoveryCodesTitle: 'Your recovery codes',
  recoveryCodesIntro: 'Save these somewhere safe. Each code works once. They won’t be shown again.',
  recoveryCodesHint: 'Store them in a password manager or print this page. Any recovery codes you had before no longer work.',
  recoveryCodesListLabel: 'Recovery codes',
  done: 'Done',

  // ---- Security notice emails ----
  noticeWhen: 'When',
  noticeBrowser: 'Browser',
  noticePlace: 'Location',
  newSignInSubject: (siteName: string): string => `New sign-in to your ${siteName} account`,
  newSignInText: (siteName: string): string =>
    `Your ${siteName} account was signed in to from a browser it had not trusted. Your security settings list where you are signed in; sign out any session you don’t recognise there.`,
  notYouNotice: 'If this wasn’t you, change your password and contact your administrator.',
  deviceTrustedSubject: (siteName: string): string => `A new browser was trusted on your ${siteName} account`,
  deviceTrustedText: (siteName: string): string =>
    `A browser was trusted for your ${siteName} account. It won’t be asked for a verification code until the trust expires.`,
  phoneChangedSubject: (siteName: string): string => `Your ${siteName} phone number was changed`,
  phoneChangedText: (siteName: string, maskedPhone: string | null): string =>
    maskedPhone === null
      ? `The phone number for verification codes was removed from your ${siteName} account.`
      : `The phone number for verification codes on your ${siteName} account was changed to ${maskedPhone}.`,
  phoneSetByAdminText: (siteName: string, maskedPhone: string): string =>
    `An administrator set ${maskedPhone} as the phone number for your ${siteName} verification codes. Your next sign-in sends a code to it; entering that code confirms the number.`,
  methodChangedSubject: (siteName: string): string => `How you get ${siteName} verification codes has changed`,
  credentialAddedSubject: (siteName: string): string => `A new way to sign in was added to your ${siteName} account`,
  credentialAddedText: (siteName: string, method: string): string =>
    `A new ${method} was set up for signing in to your ${siteName} account.`,
  credentialRemovedSubject: (siteName: string): string => `A way to sign in was removed from your ${siteName} account`,
  credentialRemovedText: (siteName: string, method: string): string =>
    `One of the ways you sign in to ${siteName} was removed: your ${method}.`,
  noticeName: 'Name',
  failedCodesSubject: (siteName: string): string => `Failed sign-in attempts on your ${siteName} account`,
  failedCodesText: (siteName: string, failures: number): string =>
    `Someone entered a wrong verification code ${count(failures, { one: 'time', other: 'times' })} while signing in to your ${siteName} account. Whoever tried had already entered your password.`,
  recoveryUsedSubject: (siteName: string): string => `A recovery code was used on your ${siteName} account`,
  recoveryUsedText: (siteName: string, remaining: number): string =>
    `A recovery code was used to sign in to your ${siteName} account. ${remaining <= 0 ? 'You have no recovery codes left.' : `You have ${count(remaining, { one: 'recovery code', other: 'recovery codes' })} left.`}`,

  twoFactorSwitchedSubject: (siteName: string, enabled: boolean): string =>
    `Two-step verification was turned ${enabled ? 'on' : 'off'} for your ${siteName} account`,
  twoFactorSwitchedText: (siteName: string, enabled: boolean): string =>
    enabled
      ? `Two-step verification is now on for your ${siteName} account: signing in on a new browser needs a code.`
      : `Two-step verification is now off for your ${siteName} account: your password alone signs you in.`,
  clientsSwitchedSubject: (siteName: string, blocked: boolean): string =>
    blocked
      ? `Apps without verification codes are blocked on your ${siteName} account`
      : `Apps without verification codes can reach your ${siteName} account again`,
  clientsSwitchedText: (siteName: string, blocked: boolean): string =>
    blocked
      ? `Mapped drives, desktop sync apps and API tokens can no longer reach your ${siteName} account: only a browser that passed two-step verification can.`
      : `Mapped drives, desktop sync apps and API tokens can reach your ${siteName} account again, without a verification code.`,
  recoveryGeneratedSubject: (siteName: string): string => `New recovery codes were made for your ${siteName} account`,
  recoveryGeneratedText: (siteName: string): string =>
    `A new set of recovery codes was made for your ${siteName} account. The codes you had before no longer work.`,
  lockedOutSubject: (siteName: string): string => `Verification codes are switched off for your ${siteName} account`,
  lockedOutText: (siteName: string): string =>
    `Wrong verification codes were entered 100 times in a row while signing in to your ${siteName} account, so codes are switched off. Whoever tried had already entered your password: change it. To sign in, use a recovery code or ask your administrator to unlock your account.`,

  // ---- Development outbox ----
  outboxTitle: 'Development outbox',
  outboxBanner: 'Development outbox — never enabled in production',
  outboxIntro: 'Codes the library would have sent, newest first. Reload the page to see new ones.',
  outboxEmpty: 'No codes have been sent yet.',
  /**
   * The session warning dialog (session.js), which counts down in the browser: `{n}` is the number,
   * the form chosen by the page language's plural rules (`Intl.PluralRules` there too).
   */
  sessionWarning: {
    heading: 'Your session is about to end',
    endsInMinutes: { one: 'Your session ends in {n} minute.', other: 'Your session ends in {n} minutes.' } as CountForms,
    endsInSeconds: { one: 'Your session ends in {n} second.', other: 'Your session ends in {n} seconds.' } as CountForms,
    stay: 'Stay signed in',
    signOut: 'Sign out now',
  },
  outboxColumns: { at: 'Sent', method: 'Method', to: 'To', purpose: 'Purpose', code: 'Code' },

  // ---- Page details: when a code expires and a new one can be sent; saving recovery codes ----
  /** `time` is a clock time ("10:42 UTC"); the page marks it up as a <time>. */
  codeExpiresAt: (time: string): string => `The code expires at ${time}.`,
  codeExpiredAt: (time: string): string => `The code expired at ${time}.`,
  newCodeAt: (time: string): string => `You can ask for a new code at ${time}.`,
  recoveryCodesActionsLabel: 'Save your recovery codes',
  recoveryCodesDownload: 'Download (.txt)',
  /** The buttons below need JavaScript: they stay hidden without it (downloading and printing do not). */
  recoveryCodesCopy: 'Copy',
  recoveryCodesPrint: 'Print',
  recoveryCodesCopied: 'The codes are copied to your clipboard.',
  recoveryCodesCopyFailed: 'The codes couldn’t be copied. Select them and copy them yourself, or download them.',
};

/** The shape a translation must have. */
export type Strings = typeof en;
