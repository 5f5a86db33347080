import { createHash } from 'node:crypto';
import type { Request } from 'express';
import type { Store as SessionStore, SessionData } from 'express-session';
import { deviceLabel } from '../core/device-label';
import { noAnswer } from '../core/fail-closed';
import { withDeadline } from '../core/deadline';
import { ConfigurationError, StoreUnavailableError } from '../errors';
import type { EphemeralStore, IndexedSession } from '../core/store';
import type { SignedInSession } from '../types';
import { stateOf } from './session-state';

const DAY = 86_400_000;

export interface SignedInSessionsConfig {
  storeTimeoutMs: number;
  placeHint: ((req: Request) => string | undefined) | undefined;
  now: () => number;
}

/**
 * Each user's signed-in sessions: an index in the library's store (written at sign-in and when the
 * session id changes, never on an ordinary request), and the sessions themselves in the host's
 * session store, which is where "last active" is read and where a session is ended (destroyed).
 * An index entry whose session is gone costs nothing and is removed when next listed or ended.
 */
export class SignedInSessions {
  private sessionStore: SessionStore | undefined;

  constructor(
    private readonly store: EphemeralStore,
    private readonly config: SignedInSessionsConfig,
    sessionStore?: SessionStore,
  ) {
    this.sessionStore = sessionStore;
  }

  /** Remembers the host's session store from a request (express-session sets `req.sessionStore`). */
  learn(req: Request): void {
    this.sessionStore ??= (req as { sessionStore?: SessionStore }).sessionStore;
  }

  /** Indexes the request's session, just signed in for `userId`. */
  async record(req: Request, userId: string): Promise<void> {
    this.learn(req);
    const now = this.config.now();
    const placeHint = this.config.placeHint?.(req)?.slice(0, 100);
    const entry: IndexedSession = {
      id: req.sessionID,
      createdAt: now,
      label: deviceLabel(req.headers['user-agent']),
      expiresAt: now + lifetime(req),
    };
    await this.store.putSession(userId, placeHint ? { ...entry, placeHint } : entry);
  }

  /** The session of `req` got a new id (a re-authentication): the index follows it. */
  async moved(req: Request, userId: string, previousId: string, signedInAt: number): Promise<void> {
    const [entry] = (await this.store.listSessions(userId, this.config.now())).filter((s) => s.id === previousId);
    await this.store.deleteSessions(userId, [previousId]);
    const kept = entry ?? {
      createdAt: signedInAt,
      label: deviceLabel(req.headers['user-agent']),
      expiresAt: this.config.now() + lifetime(req),
    };
    await this.store.putSession(userId, { ...kept, id: req.sessionID });
  }

  /** Destroys the request's own session in the session store (undoing a sign-in that could not be indexed). */
  async destroy(req: Request): Promise<void> {
    const store = this.required();
    await this.call((done) => store.destroy(req.sessionID, done));
  }

  /** Forgets a session that signed out by itself. */
  async forget(userId: string, sessionId: string): Promise<void> {
    await this.store.deleteSessions(userId, [sessionId]);
  }

  /** The user's live sessions, oldest first, `current` marking `currentId`. Stale index entries are removed. */
  async list(userId: string, currentId?: string): Promise<SignedInSession[]> {
    const indexed = await this.store.listSessions(userId, this.config.now());
    const found = await Promise.all(indexed.map(async (entry) => ({ entry, data: await this.read(entry.id) })));
    const stale = found.filter(({ data }) => !isSignedInAs(data, userId)).map(({ entry }) => entry.id);
    if (stale.length > 0) await this.store.deleteSessions(userId, stale);
    return found
      .filter(({ data }) => isSignedInAs(data, userId))
      .map(({ entry, data }) => {
        const view: SignedInSession = {
          id: handleOf(entry.id),
          signedInAt: entry.createdAt,
          lastActiveAt: lastActive(data as SessionData) ?? entry.createdAt,
          label: entry.label,
          current: entry.id === currentId,
        };
        return entry.placeHint ? { ...view, placeHint: entry.placeHint } : view;
      });
  }

  /**
   * Ends the user's sessions (all of them, or those whose handle is in `only`, never the session id
   * `keep`) by destroying them in the host's session store; their next request is anonymous.
   * Resolves how many were ended.
   */
  async end(userId: string, options: { only?: readonly string[]; keep?: string } = {}): Promise<number> {
    const indexed = await this.store.listSessions(userId, this.config.now());
    const ids = indexed
      .map((s) => s.id)
      .filter((id) => id !== options.keep && (options.only === undefined || options.only.includes(handleOf(id))));
    if (ids.length === 0) return 0;
    const store = this.required();
    await Promise.all(ids.map((id) => this.call((done) => store.destroy(id, done))));
    await this.store.deleteSessions(userId, ids);
    return ids.length;
  }

  private async read(sessionId: string): Promise<SessionData | null | undefined> {
    const store = this.required();
    let data: SessionData | null | undefined;
    await this.call((done) =>
      store.get(sessionId, (error, session) => {
        data = session;
        done(error);
      }),
    );
    return data;
  }

  private required(): SessionStore {
    if (this.sessionStore) return this.sessionStore;
    throw new ConfigurationError(
      'express-device-2fa: listing or ending signed-in sessions needs the host’s session store. Pass `sessionStore` (the store you gave express-session) to deviceTwoFactor(), or call this only after the app has served a request.',
      'ERR_2FA_NO_SESSION_STORE',
    );
  }

  private call(work: (done: (error?: unknown) => void) => void): Promise<void> {
    const { storeTimeoutMs } = this.config;
    const settled = new Promise<void>((resolve, reject) => work((error) => (error ? reject(error) : resolve())));
    return withDeadline(settled, storeTimeoutMs, noAnswer(storeTimeoutMs)).catch((error: unknown) => {
      throw new StoreUnavailableError(error);
    });
  }
}

/** What a page or an admin sees of a session id: enough to name it, nothing to ride on it with. */
function handleOf(sessionId: string): string {
  return createHash('sha256').update(sessionId).digest('base64url').slice(0, 22);
}

/** An index entry lives as long as the session cookie can (a browser-session cookie: a day, connect-redis's default TTL). */
function lifetime(req: Request): number {
  const maxAge = (req as { session?: { cookie?: { originalMaxAge?: number | null } } }).session?.cookie?.originalMaxAge;
  return typeof maxAge === 'number' && maxAge > 0 ? maxAge : DAY;
}

function isSignedInAs(data: SessionData | null | undefined, userId: string): data is SessionData {
  const state = stateOf(data);
  return state?.status === 'verified' && state.userId === userId;
}

function lastActive(data: SessionData): number | undefined {
  const state = stateOf(data);
  return state?.status === 'verified' ? (state.lastActiveAt ?? state.verifiedAt) : undefined;
}
