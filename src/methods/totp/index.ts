import { ConfigurationError } from '../../errors';
import { bool } from '../../options-schema';
import type { MethodPlugin } from '../plugin';
import { totpMethod } from './method';
import { totpView } from './view';

/**
 * The authenticator app. `methods.totp` is `true` (the default: users may set one up from the
 * settings page) or `false` (not offered).
 */
export const totp: MethodPlugin = {
  id: 'totp',
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
