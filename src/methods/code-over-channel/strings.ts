import type { DeliveryMethod } from '../../types';
import type { MethodStrings } from '../../core/method';
import { strings } from '../../views/strings';

/** The words of a code sent by email, text message or call. */
export const CHANNEL_STRINGS: Record<DeliveryMethod, MethodStrings & { newCodeSent: string }> = {
  email: {
    label: strings.methodOption.email,
    name: strings.methodName.email,
    heading: 'Check your email',
    intro: (to) => `We sent a 6-digit code to ${to}.`,
    reauthIntro: (to) => `First, confirm it’s you: we sent a code to ${to}.`,
    switchTo: 'Email me a code',
    chosen: 'From now on, we’ll send your codes by email.',
    unavailable: 'Switched off: your codes go only to your phone',
    newCodeSent: 'We sent a new code. It can take a minute to arrive. Only the newest code works.',
  },
  sms: {
    label: strings.methodOption.sms,
    name: strings.methodName.sms,
    heading: 'Check your phone',
    intro: (to) => `We sent a 6-digit code by text message to ${to}.`,
    reauthIntro: (to) => `First, confirm it’s you: we sent a code by text message to ${to}.`,
    switchTo: 'Text me a code',
    chosen: 'From now on, we’ll send your codes by text message.',
    unavailable: 'Add a phone number first',
    newCodeSent: 'We sent a new code. It can take a minute to arrive. Only the newest code works.',
  },
  voice: {
    label: strings.methodOption.voice,
    name: strings.methodName.voice,
    heading: 'Answer your phone',
    intro: (to) => `We’re calling ${to} to read you a 6-digit code.`,
    reauthIntro: (to) => `First, confirm it’s you: we’re calling ${to} with a code.`,
    switchTo: 'Call me with a code',
    chosen: 'From now on, we’ll call you with your codes.',
    unavailable: 'Add a phone number first',
    newCodeSent: 'We’re calling you with a new code. Only the newest code works.',
  },
};
