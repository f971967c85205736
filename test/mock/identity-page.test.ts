// `socialize.login` with `mock_identity=choose`, in the real browser (Chromium through playwright-core):
// the mock sends the browser to its identity page, a person picks or names a test identity with the
// keyboard alone, and the login continues to the site's redirect_uri (the example site of the flows, which
// verifies the signed result). The page's controls are found by their roles and accessible names, as a
// screen reader finds them.
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startMockServer, type MockServer } from '../../src/mock/index.js';
import { startFlowSite, type FlowSite } from './flow-site.js';

let mock: MockServer;
let site: FlowSite;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  mock = await startMockServer({ port: 0 });
  site = await startFlowSite({ secret: mock.secret });
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
  });
  page = await browser.newPage();
  // Only the two loopback servers may be reached.
  await page.route('**/*', (route) =>
    route.request().url().startsWith(mock.url) || route.request().url().startsWith(site.url) ? route.continue() : route.abort(),
  );
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await site?.close();
  await mock?.close();
});

function loginUrl(state: string): string {
  const query = new URLSearchParams({
    x_provider: 'facebook',
    client_id: mock.apiKey,
    redirect_uri: `${site.url}/login/done`,
    response_type: 'token',
    state,
    mock_identity: 'choose',
  });
  return `${mock.url}/socialize.login?${query}`;
}

/** The site's answer at redirect_uri, once the browser got there. */
async function landed(): Promise<{ verified: boolean; UID: string; isNewUser: boolean; state: string }> {
  await page.waitForURL((url) => url.href.startsWith(`${site.url}/login/done`), { timeout: 20_000 });
  return JSON.parse((await page.locator('body').innerText()).trim());
}

describe('the identity page (mock_identity=choose)', () => {
  test('keyboard only: name a new identity, continue; the site gets a new user; next time the identity is listed and gives the same account', {
    timeout: 60_000,
  }, async () => {
    // The login starts from the site's own page (another origin than the mock's), as a real one does:
    // the identity page is reached through that cross-origin navigation and is not refused.
    await page.goto(`${site.url}/start`);
    await page.evaluate((url) => {
      window.location.href = url;
    }, loginUrl('st-1'));
    await page.waitForURL((url) => url.pathname === '/__mock/chooseIdentity');
    await expect(page.getByRole('heading', { level: 1 }).innerText()).resolves.toMatch(/facebook/);
    const group = page.getByRole('group', { name: 'Test identities of facebook' });
    await expect(group.getByRole('radio', { name: 'default' }).isChecked()).resolves.toBe(true);
    // Tab to the radio group, arrow to "A new identity", Tab to the name field, type, Enter.
    await page.keyboard.press('Tab');
    await expect(page.evaluate(() => (document.activeElement as HTMLInputElement).value)).resolves.toBe('default');
    await page.keyboard.press('ArrowDown');
    await expect(page.getByRole('radio', { name: 'A new identity, named below' }).isChecked()).resolves.toBe(true);
    await page.keyboard.press('Tab');
    await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe('new-name');
    await page.keyboard.type('carol');
    await page.keyboard.press('Enter');
    const first = await landed();
    expect(first).toMatchObject({ verified: true, isNewUser: true, state: 'st-1' });

    await page.goto(loginUrl('st-2'));
    const carol = page.getByRole('radio', { name: 'carol' });
    await carol.focus();
    await page.keyboard.press('Space');
    await expect(carol.isChecked()).resolves.toBe(true);
    await page.getByRole('button', { name: 'Continue' }).press('Enter');
    const second = await landed();
    // The same identity, the same account (still pending: the site has not registered it yet).
    expect(second).toMatchObject({ verified: true, UID: first.UID, isNewUser: true, state: 'st-2' });
  });

  test('every control has an accessible name; a new identity without a name is refused, naming the field', { timeout: 60_000 }, async () => {
    await page.goto(loginUrl('st-3'));
    await expect(page.locator('html').getAttribute('lang')).resolves.toBe('en');
    await expect(page.getByRole('textbox', { name: /Name of a new identity/ }).count()).resolves.toBe(1);
    const unnamed = await page.evaluate(
      () =>
        [...document.querySelectorAll('input:not([type=hidden]), button')].filter(
          (el) => !(el as HTMLInputElement).labels?.length && !el.textContent?.trim(),
        ).length,
    );
    expect(unnamed).toBe(0);
    await page.getByRole('radio', { name: 'A new identity, named below' }).check();
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.waitForURL((url) => url.pathname === '/__mock/chooseIdentity' && url.searchParams.has('mock_continue'));
    const answer = JSON.parse(await page.locator('body').innerText());
    expect(answer).toMatchObject({ errorCode: 400006, errorDetails: expect.stringContaining('mock_identity_new') });
  });
});
