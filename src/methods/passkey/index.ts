import { asGiven, shape, type Option } from '../../options-schema';
import type { MethodPlugin } from '../plugin';
import { parsePasskeyOptions, type PasskeyOptions } from './config';
import { createPasskeyMethod } from './method';
import { en, type PasskeyWords } from './strings';
import { de } from './strings.de';
import { es } from './strings.es';
import { passkeyView } from './view';

export type { PasskeyOptions } from './config';

/** `methods.passkey` in the option table; `parsePasskeyOptions` checks the values. */
const option: Option<PasskeyOptions | undefined, PasskeyOptions | undefined> = shape('Offer passkeys (WebAuthn); see Passkeys.', {
  rpId: asGiven('Your site’s domain, e.g. `"example.com"`, no scheme or port.', 'required'),
  origins: asGiven('The exact origins your pages are served from, on `rpId` or a subdomain of it.', 'required'),
  rpName: asGiven('The name the browser shows when a passkey is created.', '`siteName`'),
});

/** Passkeys (WebAuthn) as the second factor: `methods.passkey: { rpId, origins, rpName? }`. */
export const passkey: MethodPlugin<PasskeyWords> = {
  id: 'passkey',
  strings: { en, de, es },
  create({ options, siteName, development }) {
    const config = parsePasskeyOptions(options, siteName, development);
    return config && createPasskeyMethod(config);
  },
  view: passkeyView,
  option,
};
