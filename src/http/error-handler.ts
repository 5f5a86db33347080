import type { NextFunction, Request, Response } from 'express';
import { StoreUnavailableError } from '../errors';
import type { Responder } from './responses';

/**
 * `twoFactor.errorHandler`: an Express error middleware for the host to mount last. A session
 * store (or 2FA store) outage reaching the host's own routes becomes the same 503 "try again"
 * answer as the library's; every other error goes on to `next(err)`, untouched.
 */
export function createErrorHandler(respond: Responder) {
  return function deviceTwoFactorErrorHandler(error: unknown, req: Request, res: Response, next: NextFunction): void {
    if (!isStoreOutage(error)) return next(error);
    // Reported after the answer went out (express-session's save or touch as a response ends): that
    // answer stands. Half-way through one, Express's own handler closes the connection.
    if (res.writableEnded) return;
    if (res.headersSent) return next(error);
    respond.unavailable(req, res);
  };
}

// ioredis's own errors for a connection that is down, refused, closed or not answering.
const CLIENT_ERROR_NAMES = new Set(['MaxRetriesPerRequestError', 'ClusterAllFailedError']);
const CLIENT_ERROR_MESSAGES = new Set([
  'Command timed out',
  'Connection is closed.',
  'Command aborted due to connection close',
  "Stream isn't writeable and enableOfflineQueue options is false",
  "Cluster isn't ready and enableOfflineQueue options is false",
  'None of startup nodes is available',
]);
// Redis replies that mean "not now" (loading, busy, no master, full, cannot persist), not "wrong".
const NOT_NOW_REPLY = /^(LOADING|BUSY|MASTERDOWN|CLUSTERDOWN|TRYAGAIN|READONLY|OOM|MISCONF) /;
// Node.js network errors of a connection that could not be made or was cut.
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);

/**
 * Whether an error means a store could not be reached (try again later) rather than a bug: the
 * library's StoreUnavailableError, an ioredis connection error, a "not now" Redis reply or a network
 * error, on the error itself or in its `cause` chain. Matched by ioredis's exact names and messages,
 * so an error that merely mentions a timeout is not taken for one.
 */
export function isStoreOutage(error: unknown): boolean {
  // Duck-typed, not `instanceof Error`: an error made in another realm (a vm context) is one too.
  for (let cause = error, depth = 0; typeof cause === 'object' && cause !== null && depth < 5; depth += 1) {
    if (cause instanceof StoreUnavailableError) return true;
    const { name, message, code } = cause as { name?: unknown; message?: unknown; code?: unknown };
    if (CLIENT_ERROR_NAMES.has(String(name)) || CLIENT_ERROR_MESSAGES.has(String(message))) return true;
    if (name === 'ReplyError' && NOT_NOW_REPLY.test(String(message))) return true;
    if (NETWORK_CODES.has(String(code))) return true;
    cause = (cause as { cause?: unknown }).cause;
  }
  return false;
}
