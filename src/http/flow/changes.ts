import type { Request, Response } from 'express';
import { switchUserClients } from '../../core/client-access';
import { randomToken } from '../../core/secrets';
import { renderRecoveryCodesPage } from '../../views/recovery-codes-page';
import { methodSays, say, type Message } from '../../views/messages';
import type { HttpContext } from '../http-context';
import type { SensitiveChange, VerifiedState } from '../session-state';
import type { Next, SettingsFrame } from './frame';
import { proveStep, startMethod } from './prove-step';

const USER = { kind: 'user' } as const;

/**
 * Every change to the second factor goes through here: within a passed re-authentication it is
 * made at once; otherwise the user proves the second factor first (their preferred method) and the
 * change waits for it, so a signed-in session alone, or a copied cookie, changes nothing. Switching
 * 2FA on always proves the method chosen for it.
 */
export async function sensitive(
  ctx: HttpContext,
  req: Request,
  res: Response,
  frame: SettingsFrame,
  change: SensitiveChange,
): Promise<Next> {
  const { config } = ctx;
  if (change.kind !== 'enable' && (frame.state.sudoUntil ?? 0) > config.now()) return apply(ctx, req, res, frame, change);
  const user = await ctx.directory.load(frame.state.userId);
  const method = change.kind === 'enable' ? ctx.methods.get(change.method) : (ctx.methods.preferred(user) ?? ctx.methods.get('email'));
  if (!method) return { to: 'render', status: 400, notice: { kind: 'error', message: say('methodNeedsPhone') } };
  const step = proveStep(ctx, user, { kind: 'change', change });
  const view = await startMethod(ctx, req, step, user, method, false);
  if (view.status !== 200) return { to: 'render', status: view.status, ...(view.notice ? { notice: view.notice } : {}) };
  frame.state.flow = step;
  return { to: 'page', ...(view.notice ? { notice: view.notice } : {}) };
}

export async function endSessions(ctx: HttpContext, userId: string, keep: string, only?: readonly string[]): Promise<number> {
  const count = await ctx.sessions.end(userId, { keep, ...(only ? { only } : {}) });
  if (count > 0) ctx.events.emit({ type: 'sessions.ended', userId, count, by: USER });
  return count;
}

/** Makes a sensitive change the user has just proved they may make; each one is announced by email. */
export async function apply(ctx: HttpContext, req: Request, res: Response, frame: SettingsFrame, change: SensitiveChange): Promise<Next> {
  const state: VerifiedState = frame.state;
  const { userId } = state;
  const lang = frame.words.lang;
  const info = (message: Message): Next => ({ to: 'page', notice: { kind: 'info', message } });
  switch (change.kind) {
    case 'method': {
      const user = await ctx.directory.load(userId);
      const method = ctx.methods.get(change.method);
      if (!method) return { to: 'page' };
      if (change.method !== user.settings.method) {
        await ctx.settings.updateUserSettings(userId, { method: change.method });
        ctx.events.emit({ type: 'method.changed', userId, from: user.settings.method, to: change.method, by: USER });
        ctx.notices.send(userId, { kind: 'method-changed', method: method.id }, lang);
      }
      return info(methodSays(method.id, 'chosen'));
    }
    case 'phone': {
      const user = await ctx.directory.load(userId);
      state.flow = {
        step: 'phone',
        attempt: randomToken(12),
        since: ctx.config.now(),
        phoneMethod: 'sms',
        hadPhone: user.settings.phone !== null,
      };
      return { to: 'page' };
    }
    case 'enable':
    case 'disable': {
      const enabled = change.kind === 'enable';
      const user = await ctx.directory.load(userId);
      if (!enabled && user.account?.enforced) return { to: 'page', notice: { kind: 'error', message: say('cannotSwitchOff') } };
      await ctx.settings.updateUserSettings(userId, enabled ? { enabled, method: change.method } : { enabled });
      ctx.events.emit({ type: 'user.2fa-switched', userId, enabled, by: USER });
      ctx.notices.send(userId, { kind: 'two-factor-switched', enabled }, lang);
      return info(say(enabled ? 'switchedOn' : 'switchedOff'));
    }
    case 'email-codes': {
      const user = await ctx.directory.load(userId);
      // Phone only needs a phone; codes then stop going by email, so the method moves off email.
      if (!change.allowed && user.settings.phone === null)
        return { to: 'page', notice: { kind: 'error', message: say('methodNeedsPhone') } };
      const patch = change.allowed
        ? { emailCodes: true }
        : { emailCodes: false, ...(user.settings.method === 'email' ? { method: 'sms' as const } : {}) };
      await ctx.settings.updateUserSettings(userId, patch);
      ctx.events.emit({ type: 'email-codes.switched', userId, allowed: change.allowed, by: USER });
      ctx.notices.send(userId, { kind: 'email-codes-switched', allowed: change.allowed }, lang);
      return info(say('emailCodesSwitched', change.allowed));
    }
    case 'allow-clients': {
      await switchUserClients(ctx, userId, false, USER, lang);
      return info(say('clientsSwitched', false));
    }
    case 'recovery-codes': {
      const codes = await ctx.recovery.generate(userId, USER);
      ctx.notices.send(userId, { kind: 'recovery-generated' }, lang);
      // Shown once, never redirected to: a reload must not show them again from some cache (no-store).
      ctx.respond.html(
        req,
        res,
        200,
        renderRecoveryCodesPage({
          siteName: ctx.config.siteName,
          logo: ctx.config.logo,
          words: frame.words,
          mountPath: ctx.config.mountPath,
          codes,
          backHref: frame.base,
        }),
      );
      return { to: 'answered' };
    }
    case 'enrol': {
      const method = ctx.methods.get(change.method);
      if (!method?.enrolment) return { to: 'page' };
      const { pending } = await method.enrolment.begin(await ctx.directory.load(userId), ctx.methodServices);
      state.flow = { step: 'enrol', attempt: randomToken(12), since: ctx.config.now(), method: method.id, pending };
      return { to: 'page' };
    }
    case 'remove-credential': {
      const method = ctx.methods.get(change.method);
      if (!method?.enrolment) return { to: 'page' };
      const removed = await ctx.methodServices.credentials.remove(userId, method.id, change.id);
      if (!removed) return { to: 'page', notice: { kind: 'error', message: say('credentialNotFound') } };
      if ((await ctx.methodServices.credentials.list(userId, method.id)).length === 0) {
        const user = await ctx.directory.load(userId);
        // The last one gone: the method is no longer the user's, nor their preferred one.
        const fallback = user.settings.method === method.id ? { method: 'email' as const } : {};
        await ctx.settings.updateUserSettings(userId, {
          enrolled: (user.settings.enrolled ?? []).filter((id) => id !== method.id),
          ...fallback,
        });
      }
      ctx.events.emit({ type: 'credential.removed', userId, method: method.id, credentialId: change.id, by: USER });
      ctx.notices.send(userId, { kind: 'credential-removed', method: method.id }, lang);
      return info(methodSays(method.id, 'enrolment.removed'));
    }
  }
}
