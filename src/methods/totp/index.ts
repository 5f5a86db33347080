import { ConfigurationError } from '../../errors';
import { bool } from '../../options-schema';
import type { MethodPlugin } from '../plugin';
import { en, type TotpWords } from './strings';
import { de } from './strings.de';
import { es } from './strings.es';
import { totpMethod } from './method';
import { totpView } from './view';

/**
 * The authenticator app. `methods.totp` is `true` (the default: users may set one up from the
 * settings page) or `false` (not offered).
 */
export const totp: MethodPlugin<TotpWords> = {
  id: 'totp',
  strings: { en, de, es },
  create({ options }) {
    if (options !== undefined && typeof options !== 'boolean') {
      throw new ConfigurationError(
        `express-device-2fa: \`methods.totp\` must be true (users may set up an authenticator app, the default) or false (not offered); received ${options === null ? 'null' : typeof options}.`,
      );
    }
    return options === false ? undefined : totpMethod;
  },
  view: totpView,
  option: bool('`false`: no authenticator app is offered.', true),
};
