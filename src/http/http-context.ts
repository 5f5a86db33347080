import type { Challenges } from '../core/challenges';
import type { Events } from '../core/events';
import type { MethodServices } from '../core/method';
import type { Methods } from '../core/methods';
import type { Notices } from '../core/notices';
import type { RecoveryCodes } from '../core/recovery-codes';
import type { DurableSettings } from '../core/store-settings';
import type { TrustedDevices } from '../core/trusted-devices';
import type { UserDirectory } from '../core/users';
import type { DevelopmentOutbox } from '../channels/development-outbox';
import type { Configuration } from '../options';
import type { MethodView } from '../views/method-view';
import type { DeviceCookie } from './device-cookie';
import type { Responder } from './responses';
import type { SignedInSessions } from './signed-in-sessions';

/** What every HTTP handler of the library works with; built once by the factory. */
export interface HttpContext {
  config: Configuration;
  directory: UserDirectory;
  settings: DurableSettings;
  challenges: Challenges;
  methods: Methods;
  methodServices: MethodServices;
  /** Each method's own views, by method id (methods that answer with a code have none). */
  methodViews: ReadonlyMap<string, MethodView>;
  devices: TrustedDevices;
  recovery: RecoveryCodes;
  events: Events;
  notices: Notices;
  cookie: DeviceCookie;
  respond: Responder;
  outbox: DevelopmentOutbox | undefined;
  sessions: SignedInSessions;
}

/** The client address Express derived (honouring the host's `trust proxy` setting). */
export function clientIp(req: { ip?: string | undefined; socket?: { remoteAddress?: string | undefined } }): string | undefined {
  return req.ip ?? req.socket?.remoteAddress ?? undefined;
}
