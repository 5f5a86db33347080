/**
 * /admin: an account admin manages two-step verification for the users of their own account, with
 * the library's account-scoped operations (`twoFactor.admin(accountId, adminId)`). Every operation
 * is scoped to the admin's account: a user of another account gets a 403, whatever the form says.
 */
import express, { type NextFunction, type Request, type Response } from 'express';
// In your app: import { EnforcedByAccountError, ForbiddenError, InvalidPhoneError, type DeviceTwoFactor } from 'express-device-2fa';
import { EnforcedByAccountError, ForbiddenError, InvalidPhoneError, type DeviceTwoFactor } from '../src';
import { csrfToken, requireCsrf } from './csrf';
import { sendAdminPage, sendForbidden, type AdminPageModel } from './pages';
import type { Database } from './users';

declare module 'express-session' {
  interface SessionData {
    /** A message for the next /admin page view (post/redirect/get). */
    adminNotice?: AdminPageModel['notice'];
  }
}

export function adminRoutes(db: Database, twoFactor: DeviceTwoFactor): express.Router {
  const router = express.Router();

  /** The account a fully verified admin administers; undefined for everyone else. */
  function adminAccountOf(req: Request): string | undefined {
    const userId = twoFactor.verifiedUserId(req); // a password alone is not enough
    const user = userId ? db.users.get(userId) : undefined;
    return user?.admin ? user.accountId : undefined;
  }

  function requireAdmin(req: Request, res: Response, next: NextFunction): void {
    if (adminAccountOf(req)) return next();
    const signedIn = twoFactor.verifiedUserId(req) !== undefined;
    if (req.baseUrl === '/admin/api') {
      res.status(signedIn ? 403 : 401).json({ error: signedIn ? 'forbidden' : 'unauthorized' });
    } else if (!signedIn) {
      res.redirect(303, `/login?returnTo=${encodeURIComponent('/admin')}`);
    } else {
      sendForbidden(res, 'Only account admins can open this page.');
    }
  }

  /** The library's admin operations for this admin's account, recording who acted in its events. */
  const adminFor = (req: Request) => twoFactor.admin(adminAccountOf(req) as string, twoFactor.verifiedUserId(req));

  // The same operations as JSON, for scripts: GET /admin/api/users, PUT /admin/api/users/:id/2fa, ...
  // Writes need Content-Type: application/json, which a cross-site form cannot send.
  router.use(
    '/admin/api',
    requireAdmin,
    twoFactor.adminRouter({ account: (req) => adminAccountOf(req), adminId: (req) => twoFactor.verifiedUserId(req) }),
  );

  router.get('/admin', requireAdmin, async (req, res) => {
    const admin = adminFor(req);
    const users = await admin.listUsers();
    const account = db.accounts.get(admin.accountId);
    const notice = req.session.adminNotice;
    delete req.session.adminNotice;
    sendAdminPage(res, {
      adminEmail: db.users.get(twoFactor.verifiedUserId(req) as string)?.email ?? '',
      accountId: admin.accountId,
      csrf: csrfToken(req),
      enforcedAt: account?.twoFactorEnforced ? account.twoFactorEnforcedAt : null,
      clientsBlocked: account?.blockClients === true,
      sessionPolicy: account?.sessionPolicy === true,
      users: await Promise.all(users.map(async (user) => ({ ...user, devices: await admin.listDevices(user.userId) }))),
      ...(notice ? { notice } : {}),
    });
  });

  /** A form post: origin check, admin check, CSRF check, the operation, then back to /admin with a message. */
  function post(path: string, operation: (req: Request) => Promise<string>): void {
    router.post(
      path,
      twoFactor.sameOriginOnly,
      requireAdmin,
      express.urlencoded({ extended: false, limit: '2kb' }),
      requireCsrf(sendForbidden),
      async (req, res) => {
        try {
          req.session.adminNotice = { kind: 'info', text: await operation(req) };
        } catch (error) {
          if (error instanceof ForbiddenError) return sendForbidden(res, 'That user is not in your account.');
          if (error instanceof InvalidPhoneError) {
            req.session.adminNotice = {
              kind: 'error',
              text: 'That number can’t receive verification codes. Check it, with its country code.',
            };
          } else if (error instanceof EnforcedByAccountError) {
            req.session.adminNotice = {
              kind: 'error',
              text: 'Two-step verification can’t be turned off: this account enforces it for every user.',
            };
          } else {
            throw error;
          }
        }
        res.redirect(303, '/admin');
      },
    );
  }
  const userId = (req: Request): string => req.params.userId as string;

  post('/admin/users/:userId/2fa', async (req) => {
    const user = await adminFor(req).setUserEnabled(userId(req), req.body.enabled === 'true');
    return `Two-step verification is now ${user.enabled ? 'on' : 'off'} for ${user.email}.`;
  });
  post('/admin/users/:userId/phone/reset', async (req) => {
    const user = await adminFor(req).resetPhone(userId(req));
    return `${user.email} has no phone number now; their codes go by email until they add one.`;
  });
  // SecureClose: the admin types the user's mobile number; the user's next sign-in proves it.
  post('/admin/users/:userId/phone', async (req) => {
    const user = await adminFor(req).setPhone(userId(req), String(req.body.phone ?? ''));
    return `Codes for ${user.email} go to ${user.unverifiedPhone} from their next sign-in, which confirms the number.`;
  });
  post('/admin/users/:userId/sessions/end', async (req) => {
    const count = await adminFor(req).signOutEverywhere(userId(req));
    return `${count} signed-in session(s) ended.`;
  });
  post('/admin/users/:userId/unlock', async (req) => {
    const unlocked = await adminFor(req).unlock(userId(req));
    return unlocked ? 'Codes work again for that user.' : 'That user was not locked out.';
  });
  post('/admin/users/:userId/devices/revoke-all', async (req) => {
    const count = await adminFor(req).revokeAllDevices(userId(req));
    return `${count} trusted browser(s) revoked.`;
  });
  post('/admin/users/:userId/devices/revoke', async (req) => {
    const revoked = await adminFor(req).revokeDevice(userId(req), String(req.body.deviceId ?? ''));
    return revoked ? 'That browser is no longer trusted.' : 'That browser was already revoked.';
  });
  // Apps that can't ask for a code (here: API tokens), for one user or the whole account; both ways.
  post('/admin/users/:userId/clients', async (req) => {
    const user = await adminFor(req).blockClients(userId(req), req.body.blocked === 'true');
    return `Apps that can’t ask for a code are now ${user.blockClients ? 'blocked' : 'allowed'} for ${user.email}.`;
  });
  post('/admin/account/clients', async (req) => {
    const account = await adminFor(req).blockAccountClients(req.body.blocked === 'true');
    return `Apps that can’t ask for a code are now ${account.blockClients ? 'blocked for every user' : 'allowed (unless a user blocks them)'}.`;
  });
  // One-way: there is deliberately no route (and no library operation) to switch enforcement off.
  post('/admin/account/enforce', async (req) => {
    await adminFor(req).enforce();
    return 'Every user of this account now verifies with a code.';
  });

  // One-way too: the "Sessions" enhancement (idle timeout, warning) can be switched on, never off.
  post('/admin/account/session-policy', async (req) => {
    await adminFor(req).enableSessionPolicy();
    return 'Sessions now end after a while without activity, with a warning first. Every user was signed out once.';
  });

  return router;
}
