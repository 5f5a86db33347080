import type { Browser, BrowserContext, CDPSession, Page } from 'playwright-core';

/** A browser context with its own CDP virtual authenticator (CTAP2, internal, resident keys, user verification). */
export interface VirtualAuthenticator {
  context: BrowserContext;
  page: Page;
  cdp: CDPSession;
  authenticatorId: string;
}

/** A new browser (context) with an authenticator; console errors, warnings and page errors go to `problems`. */
export async function withAuthenticator(browser: Browser, problems: string[]): Promise<VirtualAuthenticator> {
  const context = await browser.newContext();
  const page = await context.newPage();
  page.on('console', (message) => {
    // The host pages of the tests have no favicon; anything else failing to load is a problem.
    if (message.location().url.endsWith('/favicon.ico')) return;
    if (message.type() === 'error' || message.type() === 'warning')
      problems.push(`${message.type()} on ${page.url()}: ${message.text()} (${message.location().url})`);
  });
  page.on('pageerror', (error) => problems.push(`page error on ${page.url()}: ${error.message}`));
  const cdp = await context.newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true },
  });
  return { context, page, cdp, authenticatorId };
}
