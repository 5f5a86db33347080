import type { Enrolment, MethodStrings } from '../../core/method';

/** The words of the passkey method: the sign-in prompt, the enrolment page and the page script. Plain text: the views escape them. */
export const PASSKEY_STRINGS = {
  method: {
    label: 'Passkey',
    name: 'passkey',
    heading: 'Use your passkey',
    intro: () => 'Use a passkey you saved for this site: on this device, your phone or a security key.',
    reauthIntro: () => 'First, confirm it’s you with your passkey.',
    switchTo: 'Use a passkey',
    chosen: 'From now on, we’ll ask for your passkey.',
    unavailable: 'Add a passkey first',
    malformed: 'Your browser didn’t send a passkey answer we could read. Try again, or use another way.',
  } satisfies MethodStrings,

  enrolment: {
    heading: 'Passkeys',
    add: 'Add a passkey',
    none: 'You have no passkeys yet.',
    added: 'Passkey added. You can use it the next time you sign in.',
    removed: 'Passkey removed.',
  } satisfies Enrolment['strings'],

  // ---- The sign-in prompt ----
  useButton: 'Use a passkey',
  locked: 'You can use your passkey again once the lock-out ends.',

  // ---- The enrolment page ----
  enrolIntro: 'Your browser will ask where to save the passkey: on this device, your phone or a security key.',
  labelField: 'Name this passkey',
  labelHint: 'So you can tell your passkeys apart, e.g. “Work laptop”.',
  createButton: 'Create passkey',
  defaultLabel: 'Passkey',

  // ---- Shown by the page script ----
  script: {
    cancelled: 'The passkey request was cancelled or timed out. Try again, or choose another way.',
    alreadyRegistered: 'This device already has a passkey for your account: use it, or choose another device.',
    failed: 'Your browser could not use a passkey here. Try again, or choose another way.',
    working: 'Waiting for your passkey…',
  },
  /** Shown when the page's script cannot run (no JavaScript, or a browser without passkeys). */
  noScript: 'Passkeys need JavaScript and a browser that supports them. Choose another way below.',
  unsupported: 'This browser can’t use passkeys. Choose another way below.',

  // ---- Enrolment errors (finish) ----
  malformed: 'Your browser didn’t send a passkey. Use the button to create one.',
  notAccepted: 'That passkey could not be added. Try again.',
  expired: 'This page expired. Start again to add a passkey.',
  alreadyAdded: 'That passkey is already on your account.',
  tooMany: (max: number): string => `You have ${max} passkeys, the most allowed. Remove one before adding another.`,
  labelTooLong: (max: number): string => `Use a name of at most ${max} characters.`,
};
