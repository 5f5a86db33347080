import type { Request, Response } from 'express';
import { renderCodePage, type CodeTimesModel, type PageActionGroup } from '../../views/code-page';
import type { SafeHtml } from '../../views/html';
import type { HttpContext } from '../http-context';
import type { CodeTimes } from '../session-state';
import type { Frame, Rendering } from './frame';

/** What differs between the code pages of the steps (a phone being proved, a re-authentication). */
export interface StepPage {
  heading: string;
  intro: string;
  /** The masked destination, shown in bold inside `intro` (none for a method that sends nothing). */
  destination: string;
  offerTrust: boolean;
  offerEndOthers?: boolean;
  codeDisabled: boolean;
  codeTimes?: CodeTimesModel | undefined;
  answer?: SafeHtml;
  actions: PageActionGroup[];
}

/**
 * What the page says about a step's code times, as of now (nothing for a step without any). A code
 * is taken only while its step lasts (see isExpired), so it expires with the step at the latest.
 */
export function codeTimesOf(ctx: HttpContext, frame: Frame, step: CodeTimes & { since: number }): CodeTimesModel | undefined {
  const { codeExpiresAt, resendAt } = step;
  if (codeExpiresAt === undefined && resendAt === undefined) return undefined;
  const stepEndsAt = (frame.kind === 'sign-in' ? frame.state.since : step.since) + ctx.config.pendingTtlMs;
  return { now: ctx.config.now(), codeExpiresAt: codeExpiresAt === undefined ? undefined : Math.min(codeExpiresAt, stepEndsAt), resendAt };
}

/** A step's code page, answering to `<frame>/verify`. */
export function renderStepPage(ctx: HttpContext, req: Request, res: Response, frame: Frame, r: Rendering, page: StepPage): void {
  const { config } = ctx;
  const { words } = frame;
  const offerTrust = page.offerTrust && config.trust.enabled;
  const notice = ctx.languages.shown(r.notice, words);
  ctx.respond.html(
    req,
    res,
    r.status,
    renderCodePage({
      siteName: config.siteName,
      words,
      logo: config.logo,
      csrfToken: frame.state.csrf,
      title: words.t.verifyTitle,
      heading: page.heading,
      intro: page.intro,
      ...(page.destination ? { introStrong: page.destination } : {}),
      ...(notice ? { notice } : {}),
      // A sign-in's page of someone else (a shared computer): out in one click.
      ...(frame.kind === 'sign-in' ? { notYouAction: `${frame.base}/sign-out` } : {}),
      verifyAction: `${frame.base}/verify`,
      offerTrust,
      offerEndOthers: page.offerEndOthers === true,
      trustChecked: offerTrust,
      trustDays: Math.round(config.trust.ttlMs / 86_400_000),
      codeDisabled: page.codeDisabled,
      answerRefused: r.refused === true,
      codeTimes: page.codeTimes,
      ...(page.answer ? { answer: page.answer } : {}),
      actions: page.actions,
    }),
  );
}
