import type { SecurityNotice } from '../core/notices';
import { oneLine, renderEmail, type EmailBlock, type RenderedEmail } from './email-layout';
import { formatDate } from './format';
import type { Strings } from './strings';
import type { Words } from './words';

export type { RenderedEmail };

/**
 * What each security notice needs. `at` is when it happened (ms since the epoch); where it is
 * optional, the time of rendering is used (pass the library's clock for stable output).
 */
export interface NoticeEmailModels {
  'device-trusted': { siteName: string; label: string; at: number };
  'phone-changed': { siteName: string /** Masked, or null when the number was removed. */; phone: string | null; at?: number };
  /** `chosen`: the method's own sentence, e.g. "From now on, we’ll send your codes by email." */
  'method-changed': { siteName: string; chosen: string; at?: number };
  /** `method`: the method's name in running text, e.g. "passkey". */
  'credential-added': { siteName: string; method: string; label: string; at?: number };
  'credential-removed': { siteName: string; method: string; at?: number };
  'failed-codes': { siteName: string; failures: number; at?: number };
  'recovery-used': { siteName: string; remaining: number; at?: number };
  'recovery-generated': { siteName: string; at?: number };
  'locked-out': { siteName: string; at?: number };
  'two-factor-switched': { siteName: string; enabled: boolean; at?: number };
  'email-codes-switched': { siteName: string; allowed: boolean; at?: number };
  'phone-set-by-admin': { siteName: string /** Masked. */; phone: string; at?: number };
  'new-sign-in': { siteName: string; label: string; place?: string; at: number };
  'clients-switched': { siteName: string; blocked: boolean; at?: number };
}

export type NoticeEmailKind = keyof NoticeEmailModels;

function count(n: number): number {
  return Number.isFinite(n) ? Math.max(0, Math.floor(n)) : 0;
}

/** What happened: subject, first paragraph and any extra facts. */
function describe<K extends NoticeEmailKind>(
  kind: K,
  model: NoticeEmailModels[K],
  site: string,
  t: Strings,
): { subject: string; text: string; facts: { label: string; value: string }[] } {
  switch (kind) {
    case 'device-trusted': {
      const m = model as NoticeEmailModels['device-trusted'];
      return {
        subject: t.deviceTrustedSubject(site),
        text: t.deviceTrustedText(site),
        facts: [{ label: t.noticeBrowser, value: oneLine(m.label) || t.unknownBrowser }],
      };
    }
    case 'phone-changed': {
      const m = model as NoticeEmailModels['phone-changed'];
      return {
        subject: t.phoneChangedSubject(site),
        text: t.phoneChangedText(site, m.phone === null ? null : oneLine(m.phone)),
        facts: [],
      };
    }
    case 'method-changed': {
      const m = model as NoticeEmailModels['method-changed'];
      return { subject: t.methodChangedSubject(site), text: oneLine(m.chosen), facts: [] };
    }
    case 'credential-added': {
      const m = model as NoticeEmailModels['credential-added'];
      return {
        subject: t.credentialAddedSubject(site),
        text: t.credentialAddedText(site, oneLine(m.method)),
        facts: [{ label: t.noticeName, value: oneLine(m.label) }],
      };
    }
    case 'credential-removed': {
      const m = model as NoticeEmailModels['credential-removed'];
      return { subject: t.credentialRemovedSubject(site), text: t.credentialRemovedText(site, oneLine(m.method)), facts: [] };
    }
    case 'failed-codes': {
      const m = model as NoticeEmailModels['failed-codes'];
      return { subject: t.failedCodesSubject(site), text: t.failedCodesText(site, count(m.failures)), facts: [] };
    }
    case 'recovery-used': {
      const m = model as NoticeEmailModels['recovery-used'];
      return { subject: t.recoveryUsedSubject(site), text: t.recoveryUsedText(site, count(m.remaining)), facts: [] };
    }
    case 'email-codes-switched': {
      const { allowed } = model as NoticeEmailModels['email-codes-switched'];
      return { subject: t.methodChangedSubject(site), text: t.emailCodesSwitchedText(site, allowed), facts: [] };
    }
    case 'phone-set-by-admin': {
      const { phone } = model as NoticeEmailModels['phone-set-by-admin'];
      return { subject: t.phoneChangedSubject(site), text: t.phoneSetByAdminText(site, oneLine(phone)), facts: [] };
    }
    case 'new-sign-in': {
      const m = model as NoticeEmailModels['new-sign-in'];
      const facts = [{ label: t.noticeBrowser, value: oneLine(m.label) || t.unknownBrowser }];
      if (m.place) facts.push({ label: t.noticePlace, value: oneLine(m.place) });
      return { subject: t.newSignInSubject(site), text: t.newSignInText(site), facts };
    }
    case 'recovery-generated':
      return { subject: t.recoveryGeneratedSubject(site), text: t.recoveryGeneratedText(site), facts: [] };
    case 'locked-out':
      return { subject: t.lockedOutSubject(site), text: t.lockedOutText(site), facts: [] };
    case 'two-factor-switched': {
      const { enabled } = model as NoticeEmailModels['two-factor-switched'];
      return { subject: t.twoFactorSwitchedSubject(site, enabled), text: t.twoFactorSwitchedText(site, enabled), facts: [] };
    }
    case 'clients-switched': {
      const { blocked } = model as NoticeEmailModels['clients-switched'];
      return { subject: t.clientsSwitchedSubject(site, blocked), text: t.clientsSwitchedText(site, blocked), facts: [] };
    }
    default:
      throw new TypeError(`Unknown notice kind: ${String(kind)}`);
  }
}

/**
 * A security notice email in the reader's language (`words`, with their time zone for "When"):
 * what happened, when, and what to do if it wasn't the user. Built on the same shell as the code email.
 */
export function renderNoticeEmail<K extends NoticeEmailKind>(kind: K, model: NoticeEmailModels[K], words: Words): RenderedEmail {
  const { t } = words;
  const site = oneLine(model.siteName);
  const { subject, text, facts } = describe(kind, model, site, t);
  const at = model.at ?? Date.now();
  const blocks: EmailBlock[] = [
    { kind: 'text', text },
    { kind: 'facts', facts: [...facts, { label: t.noticeWhen, value: formatDate(at, words) }] },
    { kind: 'fine', text: t.notYouNotice },
  ];
  return renderEmail({ siteName: site, lang: words.lang, subject, blocks });
}

/**
 * A notice as the core raised it (methods by id, an unnamed credential as ''), worded for its
 * reader: the method's sentence or name and the credential's default name come from `words`.
 */
export function renderSecurityNotice(notice: SecurityNotice, siteName: string, words: Words): RenderedEmail {
  switch (notice.kind) {
    case 'method-changed':
      return renderNoticeEmail(notice.kind, { siteName, chosen: words.method(notice.method)?.chosen ?? '', ...at(notice) }, words);
    case 'credential-added': {
      const method = words.method(notice.method);
      const label = notice.label || (method?.enrolment?.defaultLabel ?? '');
      return renderNoticeEmail(notice.kind, { siteName, method: method?.name ?? notice.method, label, ...at(notice) }, words);
    }
    case 'credential-removed':
      return renderNoticeEmail(notice.kind, { siteName, method: words.method(notice.method)?.name ?? notice.method, ...at(notice) }, words);
    default:
      return renderNoticeEmail(notice.kind, { siteName, ...notice } as NoticeEmailModels[typeof notice.kind], words);
  }
}

function at(notice: { at?: number }): { at?: number } {
  return notice.at === undefined ? {} : { at: notice.at };
}
