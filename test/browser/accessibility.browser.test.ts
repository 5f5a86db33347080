/**
 * Every page of the library (test/views/page-catalogue.ts: each state of the verify page, phone
 * entry and code, re-authentication, settings, the set-up pages, recovery codes, the message pages,
 * the outbox) in headless Chromium, in every language of the catalogue's LOCALES, at 1280 and 360 CSS
 * pixels wide, in the light and the dark colour scheme, checked by axe-core: no violations at all.
 *
 * The pages come with the library's own headers and their scripts (passkey.js, recovery-codes.js)
 * from a real router, so axe sees them as a browser shows them, scripts run. axe itself is injected,
 * which the pages' CSP would refuse: these contexts bypass the CSP (the CSP is the other browser
 * tests' business; the last test here checks, with it on, that the logo it allows loads).
 */
import { EN } from '../helpers/words';
import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import express from 'express';
import type { BrowserContext, Page } from 'playwright-core';
import { deviceTwoFactor, type DeviceTwoFactor } from '../../src';
import { Responder } from '../../src/http/responses';
import { launchChromium, listen } from '../helpers/browser';
import { TEST_SECRET } from '../helpers/test-app';
import { libraryPages, LOCALES, LOGO, type Locale } from '../views/page-catalogue';

jest.setTimeout(120_000);

const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const WIDTHS = [1280, 360] as const;
const SCHEMES = ['light', 'dark'] as const;
const LOGO_SVG = `<svg xmlns="http://www.w3.org/2000/svg" width="${LOGO.width}" height="${LOGO.height}" viewBox="0 0 120 32"><rect width="120" height="32" rx="6" fill="#1d4ed8"/></svg>`;

const PAGES = LOCALES.flatMap((locale) => Object.entries(libraryPages(locale)).map(([name, html]) => ({ locale, name, html })));

interface AxeNode {
  target: unknown[];
  failureSummary?: string;
}
interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: AxeNode[];
}

let server: Server;
let baseUrl: string;
let twoFactor: DeviceTwoFactor;
let browser: Awaited<ReturnType<typeof launchChromium>>;
/** One browser page per locale (its Accept-Language); each library page is loaded once, then checked in each viewport and scheme. */
const tabs = new Map<Locale, { context: BrowserContext; page: Page }>();
const problems: string[] = [];

beforeAll(async () => {
  // The library's router serves the pages' scripts (development: passkeys on localhost too).
  twoFactor = deviceTwoFactor({ secret: TEST_SECRET, users: { find: async () => null }, development: true, siteName: 'Acme' });
  const respond = new Responder('Acme', 1000, { hsts: false, logo: { ...LOGO, imgSource: "'self'" }, words: () => EN });
  const app = express();
  app.get('/static/logo.svg', (_req, res) => void res.type('image/svg+xml').send(LOGO_SVG));
  app.get('/favicon.ico', (_req, res) => void res.status(204).end());
  app.get('/pages/:index', (req, res) => {
    const page = PAGES[Number(req.params.index)];
    if (!page) return void res.status(404).end();
    respond.html(req, res, 200, page.html);
  });
  app.use(twoFactor.router);
  ({ server, baseUrl } = await listen(app));
  browser = await launchChromium();
  for (const locale of LOCALES) {
    const context = await browser.newContext({ bypassCSP: true, locale });
    const page = await context.newPage();
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning')
        problems.push(`${message.type()} on ${page.url()}: ${message.text()}`);
    });
    page.on('pageerror', (error) => problems.push(`page error on ${page.url()}: ${error.message}`));
    tabs.set(locale, { context, page });
  }
});

afterAll(async () => {
  await browser?.close();
  if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  await twoFactor?.close();
});

/** axe's findings, one line per rule and element, readable in a failed test's output. */
function describeViolations(violations: AxeViolation[]): string[] {
  return violations.flatMap((v) =>
    v.nodes.map(
      (node) => `${v.id} (${v.impact}): ${v.help} at ${JSON.stringify(node.target)}: ${node.failureSummary?.replace(/\s+/g, ' ')}`,
    ),
  );
}

describe.each(LOCALES)('%s', (locale: Locale) => {
  test.each(PAGES.map((page, index) => ({ ...page, index })).filter((page) => page.locale === locale))(
    '$name: no axe violations at 1280 and 360 px, light and dark',
    async ({ index }) => {
      const { page } = tabs.get(locale)!;
      await page.setViewportSize({ width: WIDTHS[0], height: 900 });
      await page.emulateMedia({ colorScheme: SCHEMES[0] });
      const response = await page.goto(`${baseUrl}/pages/${index}`);
      expect(response?.status()).toBe(200);
      expect(await page.getAttribute('html', 'lang')).toBe(locale);
      await page.addScriptTag({ content: AXE });
      for (const width of WIDTHS) {
        await page.setViewportSize({ width, height: width > 480 ? 900 : 740 });
        for (const colorScheme of SCHEMES) {
          await page.emulateMedia({ colorScheme });
          // Only colours change with the scheme: the other rules ran in the light one.
          const only = colorScheme === SCHEMES[0] ? '' : `runOnly: ['color-contrast'], `;
          const violations = await page.evaluate<AxeViolation[]>(
            `axe.run(document, { ${only}resultTypes: ['violations'] }).then((r) => r.violations)`,
          );
          expect({ width, colorScheme, violations: describeViolations(violations) }).toEqual({ width, colorScheme, violations: [] });
        }
        // Nothing runs past the viewport sideways (WCAG 1.4.10 reflow, at 360 px).
        expect(await page.evaluate<boolean>('document.documentElement.scrollWidth <= window.innerWidth')).toBe(true);
      }
    },
  );
});

test('the pages load their scripts and the logo without an error', () => {
  expect(problems).toEqual([]);
});

test('with the CSP on, the logo it allows loads and nothing is refused', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const refused: string[] = [];
  page.on('console', (message) => void (message.type() === 'error' && refused.push(message.text())));
  const index = PAGES.findIndex((p) => p.name === 'recovery codes');
  const response = await page.goto(`${baseUrl}/pages/${index}`);
  expect(response?.headers()['content-security-policy']).toContain("img-src data: 'self'");
  expect(await page.evaluate<number>(`document.querySelector('img.site-logo').naturalWidth`)).toBe(LOGO.width);
  expect(await page.getByRole('button', { name: 'Copy' }).isVisible()).toBe(true);
  expect(refused).toEqual([]);
  await context.close();
});
