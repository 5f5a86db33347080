import { fieldNotKept } from '../../core/store-check';
import type { Request, Response } from 'express';
import { renderEnrolPage } from '../../views/enrol-page';
import { methodSays } from '../../views/messages';
import type { HttpContext } from '../http-context';
import type { EnrolStep } from '../session-state';
import type { Frame, Next, Rendering } from './frame';

/** A method's enrolment page: what the method presents for its pending credential, in its own view. */
export async function renderEnrol(
  ctx: HttpContext,
  req: Request,
  res: Response,
  frame: Frame,
  step: EnrolStep,
  r: Rendering,
): Promise<void> {
  const method = ctx.methods.get(step.method);
  const view = ctx.methodViews.get(step.method);
  if (!method?.enrolment || !view?.enrol) {
    delete frame.state.flow;
    return ctx.respond.redirect(req, res, frame.base);
  }
  const { words } = frame;
  const own = words.method(method.id);
  if (!own?.enrolment) {
    delete frame.state.flow;
    return ctx.respond.redirect(req, res, frame.base);
  }
  const user = await ctx.directory.load(frame.state.userId);
  const shown = await method.enrolment.present(user, step.pending, ctx.methodServices);
  const form = view.enrol({
    csrfToken: frame.state.csrf,
    action: `${frame.base}/enrol`,
    disabled: false,
    mountPath: ctx.config.mountPath,
    words: own,
    page: words,
    shown,
    cancel: { action: `${frame.base}/cancel`, label: words.t.cancel },
    invalid: r.refused === true,
    answer: r.answer ?? {},
  });
  const notice = ctx.languages.shown(r.notice, words);
  const page = renderEnrolPage({
    siteName: ctx.config.siteName,
    logo: ctx.config.logo,
    words,
    heading: own.enrolment.heading,
    notice,
    form,
  });
  ctx.respond.html(req, res, r.status, page);
}

/** The answer made with the new credential: only a right one stores it, and the method becomes usable. */
export async function finishEnrol(
  ctx: HttpContext,
  _req: Request,
  _res: Response,
  frame: Frame,
  step: EnrolStep,
  form: Record<string, string>,
): Promise<Next> {
  const method = ctx.methods.get(step.method);
  if (!method?.enrolment) return { to: 'render', status: 400 };
  const { userId } = frame.state;
  const user = await ctx.directory.load(userId);
  const finished = await method.enrolment.finish(user, step.pending, form, ctx.methodServices);
  if (!finished.ok) {
    const { _csrf, code: _code, ...answer } = form;
    return {
      to: 'render',
      status: 400,
      notice: { kind: 'error', message: methodSays(method.id, `enrolment.refused.${finished.refused}`, finished.args) },
      answer,
      refused: true,
    };
  }
  const enrolled = user.settings.enrolled ?? [];
  if (!enrolled.includes(method.id)) {
    const stored = await ctx.settings.updateUserSettings(userId, { enrolled: [...enrolled, method.id] });
    // A durable store that drops the field would leave the method set up but never offered.
    if (!stored.enrolled?.includes(method.id)) throw fieldNotKept('updateUserSettings', 'enrolled');
  }
  ctx.events.emit({ type: 'credential.added', userId, method: method.id, credentialId: finished.credential.id });
  ctx.notices.send(userId, { kind: 'credential-added', method: method.id, label: finished.credential.label }, frame.words.lang);
  delete frame.state.flow;
  return { to: 'page', notice: { kind: 'info', message: methodSays(method.id, 'enrolment.added') } };
}
