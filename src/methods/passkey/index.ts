import type { MethodPlugin } from '../plugin';
import { parsePasskeyOptions } from './config';
import { createPasskeyMethod } from './method';
import { passkeyView } from './view';

export type { PasskeyOptions } from './config';

/** Passkeys (WebAuthn) as the second factor: `methods.passkey: { rpId, origins, rpName? }`. */
export const passkey: MethodPlugin = {
  id: 'passkey',
  create({ options, siteName, development }) {
    const config = parsePasskeyOptions(options, siteName, development);
    return config && createPasskeyMethod(config);
  },
  view: passkeyView,
};
