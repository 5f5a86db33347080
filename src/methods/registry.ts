import { email, sms, voice } from './code-over-channel';
import { passkey } from './passkey';
import type { MethodPlugin } from './plugin';
import { totp } from './totp';

/**
 * Every way of proving the second factor, in the order the pages offer them (and the fallback order
 * when a user's preferred method cannot reach them). A new method is its folder plus one line here.
 */
export const METHODS: readonly MethodPlugin[] = [email, sms, voice, totp, passkey];
