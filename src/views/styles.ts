import { createHash } from 'node:crypto';

/**
 * The one stylesheet of every page. The layout embeds it byte for byte in a single <style> element so
 * a Content-Security-Policy can allow it by hash (`style-src 'sha256-...'`) without 'unsafe-inline'.
 *
 * Keep it ASCII-only, free of backslashes and of "</": anything a browser would normalise or an HTML
 * parser would cut short changes the hash the browser computes.
 *
 * Colours meet WCAG AA: body text >= 4.5:1, input borders and focus rings >= 3:1 against their
 * background, in both the light and the dark scheme.
 */
export const STYLESHEET = `
:root {
  color-scheme: light dark;
  --bg: #f3f4f6;
  --card: #ffffff;
  --text: #1b1f24;
  --muted: #4d5560;
  --border: #dde1e6;
  --input-border: #767f8b;
  --input-bg: #ffffff;
  --primary: #1d4ed8;
  --primary-hover: #1e40af;
  --on-primary: #ffffff;
  --link: #1d4ed8;
  --focus: #1d4ed8;
  --disabled-bg: #e5e7eb;
  --disabled-text: #5b6470;
  --error-bg: #fdeceb;
  --error-border: #b42318;
  --error-text: #7a1a12;
  --info-bg: #eaf1fe;
  --info-border: #1d4ed8;
  --info-text: #173478;
  --warn-bg: #fff4d6;
  --warn-border: #b7791f;
  --warn-text: #5c3d00;
  --success: #15803d;
  --shadow: 0 1px 2px rgba(16, 24, 40, 0.06), 0 6px 20px rgba(16, 24, 40, 0.06);
  --mono: ui-monospace, SFMono-Regular, "SF Mono", Menlo, Consolas, "Liberation Mono", "DejaVu Sans Mono", monospace;
  --code-size: 2rem;
  --code-spacing: 0.4em;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #0f1216;
    --card: #181c22;
    --text: #e7e9ec;
    --muted: #a9b1bb;
    --border: #2d343d;
    --input-border: #7a8490;
    --input-bg: #11151a;
    --primary: #7aa7ff;
    --primary-hover: #9dbdff;
    --on-primary: #0b1220;
    --link: #93b8ff;
    --focus: #93b8ff;
    --disabled-bg: #262c34;
    --disabled-text: #9aa3ad;
    --error-bg: #3a1613;
    --error-border: #f0776a;
    --error-text: #ffd6d1;
    --info-bg: #14233f;
    --info-border: #7aa7ff;
    --info-text: #d6e4ff;
    --warn-bg: #3a2c0c;
    --warn-border: #e0a93b;
    --warn-text: #ffe6ad;
    --success: #4ade80;
    --shadow: 0 1px 2px rgba(0, 0, 0, 0.4), 0 6px 20px rgba(0, 0, 0, 0.3);
  }
}
*, *::before, *::after { box-sizing: border-box; }
[hidden] { display: none !important; }
html { -webkit-text-size-adjust: 100%; text-size-adjust: 100%; }
body {
  margin: 0;
  min-height: 100vh;
  padding: 3rem 1rem 3rem;
  display: flex;
  flex-direction: column;
  align-items: center;
  background: var(--bg);
  color: var(--text);
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans", "Liberation Sans", sans-serif;
  font-size: 1rem;
  line-height: 1.5;
}
.site {
  width: 100%;
  max-width: 27rem;
  margin: 0 0 1.25rem;
  text-align: center;
  font-size: 1.125rem;
  font-weight: 650;
  letter-spacing: 0.01em;
  overflow-wrap: anywhere;
}
.site-logo { display: block; max-width: 100%; height: auto; max-height: 4rem; object-fit: contain; margin: 0 auto 0.5rem; }
main { width: 100%; max-width: 27rem; }
main.wide { max-width: 60rem; }
.site.wide { max-width: 60rem; }
main.medium { max-width: 36rem; }
.site.medium { max-width: 36rem; }
.card {
  background: var(--card);
  border: 1px solid var(--border);
  border-radius: 14px;
  padding: 2rem;
  box-shadow: var(--shadow);
}
h1 { margin: 0 0 0.5rem; font-size: 1.5rem; line-height: 1.25; font-weight: 650; }
h2 { margin: 0 0 0.25rem; font-size: 0.9375rem; line-height: 1.4; font-weight: 600; }
p { margin: 0 0 1rem; }
.lead { color: var(--muted); margin-bottom: 1.5rem; overflow-wrap: anywhere; }
.lead strong { color: var(--text); font-weight: 600; }
.not-you { margin: -0.75rem 0 1.5rem; color: var(--muted); font-size: 0.875rem; }
.not-you p { margin: 0; }
.not-you .btn-link { padding: 0; font-size: inherit; }
a { color: var(--link); text-underline-offset: 0.2em; }
a:hover { text-decoration-thickness: 2px; }
:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; }
form { margin: 0; }
.visually-hidden {
  position: absolute !important;
  width: 1px;
  height: 1px;
  padding: 0;
  margin: -1px;
  overflow: hidden;
  clip: rect(0, 0, 0, 0);
  white-space: nowrap;
  border: 0;
}
.notice {
  display: flex;
  gap: 0.625rem;
  align-items: flex-start;
  margin: 0 0 1.5rem;
  padding: 0.75rem 0.875rem;
  border: 1px solid;
  border-left-width: 4px;
  border-radius: 8px;
  font-size: 0.9375rem;
}
.notice::before {
  flex: none;
  display: inline-flex;
  align-items: center;
  justify-content: center;
  width: 1.25rem;
  height: 1.25rem;
  margin-top: 0.125rem;
  border-radius: 50%;
  font-family: Georgia, "Times New Roman", serif;
  font-size: 0.875rem;
  font-weight: 700;
  line-height: 1;
  color: var(--card);
}
.notice-error { background: var(--error-bg); border-color: var(--error-border); color: var(--error-text); }
.notice-error::before { content: "!"; content: "!" / ""; background: var(--error-border); }
.notice-info { background: var(--info-bg); border-color: var(--info-border); color: var(--info-text); }
.notice-info::before { content: "i"; content: "i" / ""; background: var(--info-border); font-style: italic; }
.notice p { margin: 0; }
.field { margin: 0 0 1.25rem; }
label { font-weight: 600; }
.field label { display: block; margin: 0 0 0.5rem; }
.code-input {
  display: block;
  width: 100%;
  margin: 0;
  padding: 0.5rem 0.75rem 0.5rem calc(0.75rem + var(--code-spacing));
  border: 1px solid var(--input-border);
  border-radius: 10px;
  background: var(--input-bg);
  color: var(--text);
  font-family: var(--mono);
  font-size: var(--code-size);
  font-weight: 600;
  font-variant-numeric: tabular-nums;
  letter-spacing: var(--code-spacing);
  line-height: 1.25;
  text-align: center;
}
.code-input:focus-visible { border-color: var(--focus); }
.code-input[aria-invalid="true"] { border-color: var(--error-border); }
.code-input:disabled { opacity: 0.55; cursor: not-allowed; }
.text-input {
  display: block;
  width: 100%;
  margin: 0;
  padding: 0.625rem 0.75rem;
  border: 1px solid var(--input-border);
  border-radius: 10px;
  background: var(--input-bg);
  color: var(--text);
  font: inherit;
  font-size: 1.0625rem;
  line-height: 1.5;
}
.text-input.mono { font-family: var(--mono); letter-spacing: 0.06em; }
.text-input:focus-visible { border-color: var(--focus); }
.text-input[aria-invalid="true"] { border-color: var(--error-border); }
.text-input:disabled { opacity: 0.55; cursor: not-allowed; }
fieldset { min-width: 0; margin: 0 0 1.5rem; padding: 0; border: 0; }
legend { padding: 0; margin: 0 0 0.625rem; font-weight: 600; }
.choices .check { margin-bottom: 0.625rem; }
.choices .check:last-child { margin-bottom: 0; }
.check {
  display: grid;
  grid-template-columns: auto 1fr;
  column-gap: 0.625rem;
  row-gap: 0.125rem;
  align-items: start;
  margin: 0 0 1.5rem;
}
.check input {
  width: 1.125rem;
  height: 1.125rem;
  margin: 0.1875rem 0 0;
  accent-color: var(--primary);
}
.check label { font-weight: 500; cursor: pointer; }
.check input:disabled + label { color: var(--muted); cursor: not-allowed; }
.hint { grid-column: 2; margin: 0; color: var(--muted); font-size: 0.875rem; }
.field .hint { margin-top: 0.5rem; }
button { font: inherit; color: inherit; cursor: pointer; }
.btn-primary {
  display: block;
  width: 100%;
  padding: 0.75rem 1rem;
  border: 1px solid transparent;
  border-radius: 10px;
  background: var(--primary);
  color: var(--on-primary);
  font-size: 1rem;
  font-weight: 600;
  line-height: 1.5;
  text-align: center;
  text-decoration: none;
}
.btn-primary:hover { background: var(--primary-hover); }
.btn-primary:disabled { background: var(--disabled-bg); color: var(--disabled-text); cursor: not-allowed; }
.btn-secondary {
  display: inline-block;
  margin: 0;
  padding: 0.4375rem 0.875rem;
  border: 1px solid var(--input-border);
  border-radius: 8px;
  background: var(--card);
  color: var(--text);
  font-size: 0.9375rem;
  font-weight: 600;
  line-height: 1.5;
  text-align: center;
  text-decoration: none;
  /* One line when it fits; a longer label (German, Spanish) wraps inside the card on a narrow screen. */
  max-width: 100%;
}
.btn-secondary:hover { background: var(--bg); }
.btn-secondary:disabled { background: var(--disabled-bg); border-color: var(--disabled-bg); color: var(--disabled-text); cursor: not-allowed; }
.btn-link {
  margin: 0;
  padding: 0.375rem 0;
  border: 0;
  background: none;
  color: var(--link);
  font-weight: 500;
  text-align: left;
  text-decoration: underline;
  text-underline-offset: 0.2em;
}
.btn-link:hover { text-decoration-thickness: 2px; }
.section { margin-top: 1.5rem; padding-top: 1.25rem; border-top: 1px solid var(--border); }
.section + .section { margin-top: 1.25rem; }
.actions { display: flex; flex-wrap: wrap; column-gap: 1.5rem; row-gap: 0; }
.action-group + .action-group, .action-group + .actions, .actions + .action-group, .actions + .actions { margin-top: 0.75rem; }
.footer-actions .actions { justify-content: center; }
.footer-actions .btn-link { color: var(--muted); }
.recovery { margin-top: 0.75rem; }
.recovery summary { padding: 0.375rem 0; color: var(--link); font-weight: 500; cursor: pointer; }
.recovery summary:hover { text-decoration: underline; text-underline-offset: 0.2em; }
.recovery form { margin-top: 0.75rem; }
.recovery .check { margin-bottom: 1.25rem; }
.muted { color: var(--muted); }
.backlink { margin: -0.5rem 0 1rem; font-size: 0.9375rem; }
.status { display: flex; align-items: flex-start; gap: 0.5rem; margin: 0 0 1.25rem; color: var(--muted); font-size: 0.9375rem; }
.status::before { content: ""; flex: none; width: 0.625rem; height: 0.625rem; margin-top: 0.4375rem; border-radius: 50%; }
.status-on::before { background: var(--success); }
.status-off::before { background: var(--muted); }
section.section h2 { margin-bottom: 0.5rem; font-size: 1.0625rem; }
section.section .muted { font-size: 0.9375rem; }
.recovery-warning { margin: 0 0 0.75rem; }
section.section > p:last-child, section.section > form:last-child { margin-bottom: 0; }
.value { font-weight: 600; overflow-wrap: anywhere; }
.row { display: flex; flex-wrap: wrap; align-items: center; justify-content: space-between; gap: 0.5rem 1rem; }
.row .value { margin: 0; }
.device-list, .session-list { margin: 0 0 1rem; padding: 0; list-style: none; border-top: 1px solid var(--border); }
.device, .session { display: flex; align-items: flex-start; justify-content: space-between; gap: 0.75rem 1rem; padding: 0.875rem 0; border-bottom: 1px solid var(--border); }
.device-info, .session-info { min-width: 0; }
.device-name, .session-name { margin: 0 0 0.25rem; font-weight: 600; overflow-wrap: anywhere; }
.device .hint { margin-top: 0.375rem; }
.badge { display: inline-block; margin-left: 0.375rem; padding: 0 0.5rem; border: 1px solid var(--info-border); border-radius: 999px; background: var(--info-bg); color: var(--info-text); font-size: 0.75rem; font-weight: 600; line-height: 1.5; vertical-align: 0.1em; white-space: nowrap; }
.meta { display: grid; grid-template-columns: auto 1fr; gap: 0 0.75rem; margin: 0; color: var(--muted); font-size: 0.875rem; }
.meta div { display: contents; }
.meta dd { margin: 0; overflow-wrap: anywhere; }
.recovery-codes {
  display: grid;
  grid-template-columns: repeat(2, minmax(0, 1fr));
  gap: 0.5rem 1rem;
  margin: 0 0 1rem;
  padding: 1rem 1.25rem;
  list-style: none;
  border: 1px solid var(--border);
  border-radius: 10px;
  background: var(--bg);
  font-family: var(--mono);
  font-size: 1.0625rem;
  font-weight: 600;
  letter-spacing: 0.04em;
  text-align: center;
}
.recovery-codes li { overflow-wrap: anywhere; }
.recovery-save { gap: 0.5rem; margin: 0 0 0.5rem; }
.done { margin: 1.5rem 0 0; }
.steps { margin: 0 0 1.25rem; padding-left: 1.25rem; }
.steps li + li { margin-top: 0.25rem; }
.qr { width: 13rem; max-width: 100%; margin: 0 auto 1.25rem; padding: 0.75rem; border-radius: 8px; background: #ffffff; forced-color-adjust: none; }
.qr svg { display: block; width: 100%; height: auto; }
.secret-key { margin: 0 0 1.5rem; padding: 0.75rem 1rem; border: 1px solid var(--border); border-radius: 10px; background: var(--bg); font-family: var(--mono); font-size: 1.0625rem; font-weight: 600; letter-spacing: 0.04em; text-align: center; overflow-wrap: anywhere; }
.banner-dev {
  margin: 0 0 1.25rem;
  padding: 0.75rem 1rem;
  border: 1px solid var(--warn-border);
  border-left-width: 4px;
  border-radius: 8px;
  background: var(--warn-bg);
  color: var(--warn-text);
  font-weight: 700;
}
.table-wrap { overflow-x: auto; }
table { width: 100%; border-collapse: collapse; font-size: 0.9375rem; }
th, td { padding: 0.5rem 0.75rem; border-bottom: 1px solid var(--border); text-align: left; vertical-align: baseline; white-space: nowrap; }
th { color: var(--muted); font-weight: 600; }
.code-cell { font-family: var(--mono); font-size: 1.25rem; font-weight: 600; letter-spacing: 0.12em; }
@media (max-width: 480px) {
  :root { --code-size: 1.75rem; --code-spacing: 0.3em; }
  body { padding: 1.25rem 0.75rem 2rem; }
  .site { margin-bottom: 1rem; }
  .card { padding: 1.5rem 1.25rem; border-radius: 12px; }
  h1 { font-size: 1.375rem; }
  .device, .session { flex-direction: column; }
}
@media print {
  body:has(.recovery-sheet) { display: block; min-height: 0; padding: 0; background: #ffffff; color: #000000; }
  body:has(.recovery-sheet) .site { text-align: left; color: #000000; }
  body:has(.recovery-sheet) .card { padding: 0; border: 0; box-shadow: none; background: none; }
  .card:has(.recovery-sheet) > :not(.recovery-sheet), .recovery-sheet > :not(.recovery-codes) { display: none !important; }
  .recovery-codes { border-color: #000000; background: none; color: #000000; }
}
@media (forced-colors: active) {
  .notice, .banner-dev, .card { border-color: CanvasText; }
  .notice::before { forced-color-adjust: none; background: CanvasText; color: Canvas; }
}
`;

/** The CSP source expression for STYLESHEET, e.g. for `style-src`. */
export const STYLESHEET_HASH = `'sha256-${createHash('sha256').update(STYLESHEET, 'utf8').digest('base64')}'`;
