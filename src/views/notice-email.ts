import { oneLine, renderEmail, type EmailBlock, type RenderedEmail } from './email-layout';
import { formatDate } from './format';
import { strings } from './strings';

export type { RenderedEmail };

/**
 * What each security notice needs. `at` is when it happened (ms since the epoch); where it is
 * optional, the time of rendering is used (pass the library's clock for stable output).
 */
export interface NoticeEmailModels {
  'device-trusted': { siteName: string; label: string; at: number };
  'phone-changed': { siteName: string; /** Masked, or null when the number was removed. */ phone: string | null; at?: number };
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
  'phone-set-by-admin': { siteName: string; /** Masked. */ phone: string; at?: number };
  'new-sign-in': { siteName: string; label: string; place?: string; at: number };
  'clients-switched': { siteName: string; blocked: boolean; at?: number };
}

export type NoticeEmailKind = keyof NoticeEmailModels;

function count(n: number): number {
  return Number.isFinite(n) ? Math.max(0, Math.floor(n)) : 0;
}

/** What happened: subject, first paragraph and any extra facts. */
function describe<K extends NoticeEmailKind>(kind: K, model: NoticeEmailModels[K], site: string): { subject: string; text: string; facts: { label: string; value: string }[] } {
  switch (kind) {
    case 'device-trusted': {
      const m = model as NoticeEmailModels['device-trusted'];
      return { subject: strings.deviceTrustedSubject(site), text: strings.deviceTrustedText(site), facts: [{ label: strings.noticeBrowser, value: oneLine(m.label) }] };
    }
    case 'phone-changed': {
      const m = model as NoticeEmailModels['phone-changed'];
      return { subject: strings.phoneChangedSubject(site), text: strings.phoneChangedText(site, m.phone === null ? null : oneLine(m.phone)), facts: [] };
    }
    case 'method-changed': {
      const m = model as NoticeEmailModels['method-changed'];
      return { subject: strings.methodChangedSubject(site), text: oneLine(m.chosen), facts: [] };
    }
    case 'credential-added': {
      const m = model as NoticeEmailModels['credential-added'];
      return { subject: strings.credentialAddedSubject(site), text: strings.credentialAddedText(site, oneLine(m.method)), facts: [{ label: strings.noticeName, value: oneLine(m.label) }] };
    }
    case 'credential-removed': {
      const m = model as NoticeEmailModels['credential-removed'];
      return { subject: strings.credentialRemovedSubject(site), text: strings.credentialRemovedText(site, oneLine(m.method)), facts: [] };
    }
    case 'failed-codes': {
      const m = model as NoticeEmailModels['failed-codes'];
      return { subject: strings.failedCodesSubject(site), text: strings.failedCodesText(site, count(m.failures)), facts: [] };
    }
    case 'recovery-used': {
      const m = model as NoticeEmailModels['recovery-used'];
      return { subject: strings.recoveryUsedSubject(site), text: strings.recoveryUsedText(site, count(m.remaining)), facts: [] };
    }
    case 'email-codes-switched': {
      const { allowed } = model as NoticeEmailModels['email-codes-switched'];
      return { subject: strings.methodChangedSubject(site), text: strings.emailCodesSwitchedText(site, allowed), facts: [] };
    }
    case 'phone-set-by-admin': {
      const { phone } = model as NoticeEmailModels['phone-set-by-admin'];
      return { subject: strings.phoneChangedSubject(site), text: strings.phoneSetByAdminText(site, oneLine(phone)), facts: [] };
    }
    case 'new-sign-in': {
      const m = model as NoticeEmailModels['new-sign-in'];
      const facts = [{ label: strings.noticeBrowser, value: oneLine(m.label) }];
      if (m.place) facts.push({ label: strings.noticePlace, value: oneLine(m.place) });
      return { subject: strings.newSignInSubject(site), text: strings.newSignInText(site), facts };
    }
    case 'recovery-generated':
      return { subject: strings.recoveryGeneratedSubject(site), text: strings.recoveryGeneratedText(site), facts: [] };
    case 'locked-out':
      return { subject: strings.lockedOutSubject(site), text: strings.lockedOutText(site), facts: [] };
    case 'two-factor-switched': {
      const { enabled } = model as NoticeEmailModels['two-factor-switched'];
      return { subject: strings.twoFactorSwitchedSubject(site, enabled), text: strings.twoFactorSwitchedText(site, enabled), facts: [] };
    }
    case 'clients-switched': {
      const { blocked } = model as NoticeEmailModels['clients-switched'];
      return { subject: strings.clientsSwitchedSubject(site, blocked), text: strings.clientsSwitchedText(site, blocked), facts: [] };
    }
    default:
      throw new TypeError(`Unknown notice kind: ${String(kind)}`);
  }
}

/**
 * A security notice email: what happened, when, and what to do if it wasn't the user. Built on the
 * same shell as the code email.
 */
export function renderNoticeEmail<K extends NoticeEmailKind>(kind: K, model: NoticeEmailModels[K]): RenderedEmail {
  const site = oneLine(model.siteName);
  const { subject, text, facts } = describe(kind, model, site);
  const at = model.at ?? Date.now();
  const blocks: EmailBlock[] = [
    { kind: 'text', text },
    { kind: 'facts', facts: [...facts, { label: strings.noticeWhen, value: formatDate(at) }] },
    { kind: 'fine', text: strings.notYouNotice },
  ];
  return renderEmail({ siteName: site, subject, blocks });
}
