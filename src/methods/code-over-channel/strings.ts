import type { DeliveryMethod } from '../../types';
import type { MethodStrings } from '../../views/method-view';

/** The words of a code sent by one channel. */
export type ChannelWords = MethodStrings & { newCodeSent: string };

/** The words of a code sent by email, text message or call, in English: the table the others are held to. */
export const en = {
  email: {
    label: 'Email',
    name: 'email',
    heading: 'Check your email',
    intro: (to: string) => `We sent a 6-digit code to ${to}.`,
    reauthIntro: (to: string) => `First, confirm it’s you: we sent a code to ${to}.`,
    switchTo: 'Email me a code',
    chosen: 'From now on, we’ll send your codes by email.',
    unavailable: 'Switched off: your codes go only to your phone',
    newCodeSent: 'We sent a new code. It can take a minute to arrive. Only the newest code works.',
  },
  sms: {
    label: 'Text message',
    name: 'text message',
    heading: 'Check your phone',
    intro: (to: string) => `We sent a 6-digit code by text message to ${to}.`,
    reauthIntro: (to: string) => `First, confirm it’s you: we sent a code by text message to ${to}.`,
    switchTo: 'Text me a code',
    chosen: 'From now on, we’ll send your codes by text message.',
    unavailable: 'Add a phone number first',
    newCodeSent: 'We sent a new code. It can take a minute to arrive. Only the newest code works.',
  },
  voice: {
    label: 'Phone call',
    name: 'phone call',
    heading: 'Answer your phone',
    intro: (to: string) => `We’re calling ${to} to read you a 6-digit code.`,
    reauthIntro: (to: string) => `First, confirm it’s you: we’re calling ${to} with a code.`,
    switchTo: 'Call me with a code',
    chosen: 'From now on, we’ll call you with your codes.',
    unavailable: 'Add a phone number first',
    newCodeSent: 'We’re calling you with a new code. Only the newest code works.',
  },
} satisfies Record<DeliveryMethod, ChannelWords>;

/** The shape a translation must have: every channel's words. */
export type ChannelStrings = typeof en;
