import type { MethodPlugin } from '../plugin';
import { parsePasskeyOptions } from './config';
import { createPasskeyMethod } from './method';
import { en, type PasskeyWords } from './strings';
import { de } from './strings.de';
import { es } from './strings.es';
import { passkeyView } from './view';

export type { PasskeyOptions } from './config';

/** Passkeys (WebAuthn) as the second factor: `methods.passkey: { rpId, origins, rpName? }`. */
export const passkey: MethodPlugin<PasskeyWords> = {
  id: 'passkey',
  strings: { en, de, es },
  create({ options, siteName, development }) {
    const config = parsePasskeyOptions(options, siteName, development);
    return config && createPasskeyMethod(config);
  },
  view: passkeyView,
};
