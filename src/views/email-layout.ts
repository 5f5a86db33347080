import { html, type SafeHtml } from './html';

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

/**
 * One piece of an email, rendered into both the text and the HTML part:
 * - text: a paragraph;
 * - code: a verification code, large and monospace;
 * - facts: "Label: value" lines in a grey box;
 * - fine: the small print at the end ("if this wasn't you ...").
 */
export type EmailBlock =
  | { kind: 'text'; text: string }
  | { kind: 'code'; code: string }
  | { kind: 'facts'; facts: ReadonlyArray<{ label: string; value: string }> }
  | { kind: 'fine'; text: string };

export interface EmailModel {
  siteName: string;
  /** The reader's language tag, for `<html lang>`. */
  lang: string;
  subject: string;
  blocks: readonly EmailBlock[];
}

/** Header-safe text: no line breaks or other control characters, runs of white space collapsed. */
export function oneLine(value: string): string {
  return value
    .replace(/[\p{Cc}\u2028\u2029]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

function blockText(block: EmailBlock): string {
  switch (block.kind) {
    case 'code':
      return `    ${block.code}`;
    case 'facts':
      return block.facts.map((f) => `${oneLine(f.label)}: ${oneLine(f.value)}`).join('\n');
    default:
      return block.text;
  }
}

/**
 * Inline styles on purpose: mail clients drop <style> elements. (Email is not served under the
 * pages' CSP.) Every value is escaped by `html`.
 */
function blockHtml(block: EmailBlock, last: boolean): SafeHtml {
  const margin = last ? 'margin:0;' : 'margin:0 0 16px;';
  switch (block.kind) {
    case 'code':
      return html`<p style="${margin}padding:16px 16px 16px 24px;background:#f3f4f6;border-radius:8px;text-align:center;font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,'Liberation Mono',monospace;font-size:34px;font-weight:700;letter-spacing:8px;color:#1b1f24;">${block.code}</p>`;
    case 'facts':
      return html`<p style="${margin}padding:12px 16px;background:#f3f4f6;border-radius:8px;">${block.facts.map(
        (f, i) => html`${i > 0 && html`<br>`}<span style="color:#4d5560;">${f.label}:</span> <strong>${f.value}</strong>`,
      )}</p>`;
    case 'fine':
      return html`<p style="${margin}color:#4d5560;font-size:14px;">${block.text}</p>`;
    default:
      return html`<p style="${margin}">${block.text}</p>`;
  }
}

/** The one email shell: a text part and an HTML part built from the same blocks, signed by the site. */
export function renderEmail({ siteName, lang, subject, blocks }: EmailModel): RenderedEmail {
  const site = oneLine(siteName);
  const safeSubject = oneLine(subject);
  const text = `${blocks.map(blockText).join('\n\n')}\n\n— ${site}\n`;

  const body = html`<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${safeSubject}</title>
</head>
<body style="margin:0;padding:24px 16px;background:#f3f4f6;color:#1b1f24;font-family:system-ui,-apple-system,'Segoe UI',Roboto,'Helvetica Neue',Arial,sans-serif;font-size:16px;line-height:1.5;">
<div style="max-width:480px;margin:0 auto;padding:32px 28px;background:#ffffff;border:1px solid #dde1e6;border-radius:12px;">
<p style="margin:0 0 16px;font-size:18px;font-weight:600;">${site}</p>
${blocks.map(
  (b, i) => html`${blockHtml(b, i === blocks.length - 1)}
`,
)}</div>
</body>
</html>
`.toString();

  return { subject: safeSubject, text, html: body };
}
