// The reference docs as a reader meets them: the built file opened from disk in a real Chromium that may not
// reach any other host. Every request that is not file:// is refused and recorded.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { parse } from 'yaml';
import { contractUncertainties, introductionUncertainties } from '../../scripts/uncertainties.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const docsFile = fileURLToPath(new URL('../../dist/docs/index.html', import.meta.url));
const screenshot = fileURLToPath(new URL('../../test-results/docs.png', import.meta.url));
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const operations = ['socialize.setUID', 'socialize.notifyRegistration', 'socialize.notifyLogin', 'socialize.login'];

interface Visit {
  page: Page;
  consoleErrors: string[];
  outsideRequests: string[];
}

// Read after the build, which regenerates generated/ when openapi/ is newer.
function readContract() {
  return parse(readFileSync(new URL('../../generated/openapi.yaml', import.meta.url), 'utf8'));
}

interface Operation {
  tag: string;
  summary: string;
  description: string;
  'x-codeSamples': Array<{ lang: string; label: string; source: string }>;
}

function operationInContract(operationId: string): Operation {
  const contract = readContract();
  for (const item of Object.values<Record<string, Operation & { operationId?: string; tags?: string[] }>>(contract.paths)) {
    for (const operation of Object.values(item)) {
      if (operation?.operationId === operationId) return { ...operation, tag: operation.tags![0]! };
    }
  }
  throw new Error(`${operationId} is not in generated/openapi.yaml`);
}

let browser: Browser | undefined;
let visit: Visit | undefined;

const desktop = { width: 1440, height: 900 };
const phone = { width: 390, height: 844 };

async function openDocs(viewport = desktop, hash = ''): Promise<Visit> {
  const page = await browser!.newPage({ viewport });
  // Deadlines, not delays: every wait ends as soon as its condition holds. Loading the page and its 2.2 MB
  // Redoc bundle on this shared 2-core machine can take several seconds while other suites run.
  page.setDefaultTimeout(30_000);
  page.setDefaultNavigationTimeout(60_000);
  const consoleErrors: string[] = [];
  const outsideRequests: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => consoleErrors.push(`uncaught: ${error.message}`));
  await page.route('**/*', async (route) => {
    const url = route.request().url();
    if (url.startsWith('file:')) return route.continue();
    outsideRequests.push(`${route.request().method()} ${url}`);
    return route.abort('blockedbyclient');
  });
  await page.goto(pathToFileURL(docsFile).href + hash);
  // The page is prerendered and then hydrated; the sidebar's Redocly logo is drawn only once hydration has
  // run, and it is the image the build moved from a CDN into the page, so it must also have loaded (on a
  // phone the sidebar, and so the logo, is hidden behind the menu button).
  const logo = page.locator('img[alt="redocly logo"]');
  await logo.waitFor({ state: 'attached' });
  await page.waitForFunction(() => (document.querySelector('img[alt="redocly logo"]') as HTMLImageElement | null)?.complete === true);
  expect(await logo.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0), 'logo drawn').toBe(true);
  return { page, consoleErrors, outsideRequests };
}

/** Closes the page, then requires that it never reached another host nor logged an error. */
async function leave(seen: Visit): Promise<void> {
  visit = undefined;
  await seen.page.close({ runBeforeUnload: true });
  expect(seen.outsideRequests, 'requests to other hosts').toEqual([]);
  expect(seen.consoleErrors, 'console errors').toEqual([]);
}

beforeAll(async () => {
  if (!existsSync(chromiumPath)) {
    throw new Error(
      `No Chromium at ${chromiumPath}: the docs test needs a real browser. Install Debian's package as root ` +
        '(`apt-get update && apt-get install -y chromium`), as .ci/run does, or point CHROMIUM_PATH at a Chromium binary.',
    );
  }
  execFileSync(process.execPath, ['scripts/docs.mjs'], { cwd: root, stdio: 'pipe' });
  mkdirSync(dirname(screenshot), { recursive: true });
  browser = await chromium.launch({
    executablePath: chromiumPath,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
  });
});

afterEach(async () => {
  // A test that failed before leave() still closes its page.
  await visit?.page.close();
  visit = undefined;
});

afterAll(async () => {
  await browser?.close();
});

describe('reference docs opened from disk, offline', () => {
  test('show all four operations, each reachable from the sidebar', async () => {
    visit = await openDocs();
    const { page } = visit;
    for (const operationId of operations) {
      const operation = operationInContract(operationId);
      const tag = new RegExp(`^${operation.tag.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
      const group = page.getByRole('listitem').filter({ hasText: tag });
      const link = page.locator(`[data-component-name="Menu/MenuItem"] a[href$="/${operationId}" i]`);
      if (!(await link.isVisible())) await group.click();
      await link.click();
      // The operation's own section: its method name as heading and "<METHOD> /<path>" in the request panel.
      expect(operation.summary, 'the summary is the method name').toBe(operationId);
      await titleOf(page, operationId).waitFor();
      const path = page.getByText(`/${operationId}`, { exact: true }).filter({ visible: true });
      await path.first().waitFor();
      expect(await path.count(), `${operationId} is shown with its path`).toBeGreaterThan(0);
    }
    await page.screenshot({ path: screenshot });
    expect(statSync(screenshot).size).toBeGreaterThan(10_000);
    await leave(visit);
  });

  test('find a request field by its name with the search box', async () => {
    visit = await openDocs();
    const { page } = visit;
    await page.getByText('Search', { exact: false }).first().click();
    const box = page.getByPlaceholder('Search docs');
    const results = page.locator('[data-component-name="Search/SearchItem"]');

    await box.fill('providerSessions');
    const field = results.filter({ hasText: '/socialize.notifyLogin' }).filter({ hasText: 'providerSessions' });
    await field.first().waitFor();

    await box.fill('zzNoSuchFieldzz');
    await results.first().waitFor({ state: 'detached' });
    expect(await results.count()).toBe(0);
    await leave(visit);
  });

  test('lead every in-page link of the introduction to a section that exists', async () => {
    visit = await openDocs();
    const { page } = visit;
    const introduction = readFileSync(new URL('../../openapi/introduction.md', import.meta.url), 'utf8');
    const written = [...introduction.matchAll(/\]\((#section\/[^)\s]+)\)/g)].map((match) => match[1]!);
    expect(written.length, 'the introduction links to its own sections').toBeGreaterThan(0);
    const found = await page.evaluate(() =>
      [...document.querySelectorAll('a[href^="#section/"]')].map((a) => {
        const href = a.getAttribute('href')!;
        return { href, target: document.getElementById(decodeURIComponent(href.slice(1))) !== null };
      }),
    );
    for (const href of written) {
      expect(found.filter((link) => link.href === href), `${href} is a link on the page`).not.toEqual([]);
      expect(found.filter((link) => link.href === href && !link.target), `${href} leads to a section`).toEqual([]);
    }
    await leave(visit);
  });

  test('make no outside request and log no error, through to the reader leaving the page', async () => {
    visit = await openDocs();
    const { page } = visit;
    for (let scrolled = 0; scrolled < 20; scrolled++) await page.mouse.wheel(0, 2000);
    // Redoc batches its usage traces and sends them when the page is hidden or left: make it happen now.
    await page.evaluate(() => {
      Object.defineProperty(document, 'visibilityState', { value: 'hidden', configurable: true });
      document.dispatchEvent(new Event('visibilitychange'));
      window.dispatchEvent(new PageTransitionEvent('pagehide'));
    });
    await page.waitForTimeout(300);
    await leave(visit);
  });
});

/** The hash route of an operation's page, as the sidebar links to it: #/<tag>/<operationId>, lower case. */
async function operationHash(_page: Page, operationId: string): Promise<string> {
  const tag = operationInContract(operationId).tag.toLowerCase().replace(/\s+/g, '-');
  return `#/${tag}/${operationId.toLowerCase()}`;
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The operation's title: the heading whose whole text is the method name. */
function titleOf(page: Page, operationId: string) {
  return page.locator('h1, h2').filter({ hasText: new RegExp(`^${escapeRegExp(operationId)}$`) }).filter({ visible: true }).first();
}

/** How many lines the text of an element takes on screen. */
async function linesOf(page: Page, selector: string): Promise<number> {
  return page.locator(selector).first().evaluate((element) => {
    const range = document.createRange();
    range.selectNodeContents(element);
    const tops = new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top)));
    return tops.size;
  });
}

/** Every visible code block whose content is wider than its box (clipped or scrolled sideways). */
async function clippedCodeBlocks(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll('pre')]
      .filter((pre) => pre.offsetParent !== null && pre.getClientRects().length > 0)
      .filter((pre) => pre.scrollWidth > pre.clientWidth + 1)
      .map((pre) => `${pre.scrollWidth}px in ${pre.clientWidth}px: ${(pre.textContent ?? '').slice(0, 60)}`),
  );
}

const searchBox = (page: Page) => page.getByPlaceholder('Search docs');
const searchResults = (page: Page) => page.locator('[data-component-name="Search/SearchItem"]');

async function search(page: Page, query: string) {
  if (!(await searchBox(page).isVisible())) await page.getByText('Search', { exact: false }).first().click();
  await searchBox(page).fill(query);
  await searchResults(page).first().waitFor();
}

describe.each([
  ['1440×900', desktop],
  ['390×844', phone],
])('as a reader meets them at %s', (_name, viewport) => {
  test('title each operation by its method name, its sentence first, and never break a name mid-word', async () => {
    visit = await openDocs(viewport);
    const { page } = visit;
    for (const operationId of operations) {
      const operation = operationInContract(operationId);
      await page.goto(pathToFileURL(docsFile).href + (await operationHash(page, operationId)));
      const heading = titleOf(page, operationId);
      await heading.waitFor();
      expect(await heading.evaluate((h) => h.textContent), operationId).toBe(operationId);
      expect(await linesOf(page, `h2[data-component-name="Typography/H2"]:has-text("${operationId}")`), `${operationId} title on one line`).toBe(1);
      // The description opens with the sentence, in bold: "**Tell Gigya that the site logged a user in.**".
      const sentence = /^\*\*(.+?)\*\*/.exec(operation.description)?.[1];
      expect(sentence, `${operationId}'s description opens with its sentence`).toBeDefined();
      await page.locator('strong', { hasText: sentence! }).filter({ visible: true }).first().waitFor();
    }
    if (viewport === phone) await page.getByRole('button', { name: 'Open navigation menu' }).click();
    await page.getByText('Social login', { exact: true }).filter({ visible: true }).first().click();
    for (const operationId of operations) {
      const label = `[data-component-name="Menu/MenuItem"] [data-text="${operationId}"]`;
      await page.locator(label).filter({ visible: true }).first().waitFor();
      expect(await linesOf(page, label), `${operationId} in the sidebar on one line`).toBe(1);
    }
    await leave(visit);
  });

  test('clip no code block: samples, the signature formula, the worked examples', async () => {
    visit = await openDocs(viewport);
    const { page } = visit;
    await page.locator('pre', { hasText: 'HMAC-SHA1' }).first().waitFor({ state: 'attached' });
    expect(await clippedCodeBlocks(page), 'introduction').toEqual([]);
    for (const operationId of operations) {
      await page.goto(pathToFileURL(docsFile).href + (await operationHash(page, operationId)));
      await titleOf(page, operationId).waitFor();
      await page.locator('pre').filter({ visible: true }).first().waitFor();
      expect(await clippedCodeBlocks(page), operationId).toEqual([]);
    }
    await leave(visit);
  });
});

describe('reference docs, reader-facing details', () => {
  test("list every operation's TypeScript sample in the language picker, and show it when chosen", async () => {
    visit = await openDocs();
    const { page } = visit;
    for (const operationId of operations) {
      const sample = operationInContract(operationId)['x-codeSamples'].find((s) => s.lang === 'TypeScript');
      expect(sample, `${operationId} lists a TypeScript sample`).toBeDefined();
      await page.goto(pathToFileURL(docsFile).href + (await operationHash(page, operationId)));
      await titleOf(page, operationId).waitFor();
      // The picker shows the language chosen last (the page remembers it across operations).
      await page.getByRole('button', { name: /^(curl|TypeScript client)$/ }).filter({ visible: true }).first().click();
      await page.getByRole('menuitem', { name: sample!.label, exact: true }).click();
      const firstLine = sample!.source.split('\n')[0]!;
      await page.locator('pre', { hasText: firstLine }).filter({ visible: true }).first().waitFor();
    }
    await leave(visit);
  });

  test('say in the Security box that most calls authenticate with form fields, and name the two schemes', async () => {
    visit = await openDocs(desktop);
    const { page } = visit;
    await page.goto(pathToFileURL(docsFile).href + (await operationHash(page, 'socialize.notifyLogin')));
    const box = page.locator('[data-component-name="Panel/Panel"]', { hasText: 'Security' }).filter({ visible: true }).first();
    const body = box.locator('[data-testid="panel-body"] > div').first();
    await body.waitFor();
    const shown = `${await body.evaluate((element) => getComputedStyle(element, '::before').content)} ${await body.innerText()}`;
    expect(shown).toMatch(/form fields in the body/);
    expect(shown).toMatch(/userKeyBearer/);
    expect(shown).toMatch(/mutualTLS/);
    await leave(visit);
  });

  test('show server descriptions without raw markdown', async () => {
    visit = await openDocs();
    const { page } = visit;
    await page.goto(pathToFileURL(docsFile).href + (await operationHash(page, 'socialize.setUID')));
    await page.getByRole('button', { name: /\/socialize\.setUID/ }).filter({ visible: true }).first().click();
    const servers = page.getByRole('menuitem').filter({ hasText: 'socialize.setUID' });
    await servers.first().waitFor();
    const texts = await servers.allInnerTexts();
    expect(texts.length).toBe(readContract().servers.length);
    for (const text of texts) expect(text, 'no backticks').not.toContain('`');
    await leave(visit);
  });

  test('search: snippets keep their spaces, results name their section, "403003" finds the error-code row', async () => {
    visit = await openDocs();
    const { page } = visit;
    // In the source, a line break falls between "Gigya" and "has" (socialize.notifyLogin's description).
    await search(page, 'Gigya has not seen');
    await searchResults(page).filter({ hasText: 'Gigya has not seen' }).first().waitFor();
    expect(await searchResults(page).allInnerTexts()).not.toEqual(expect.arrayContaining([expect.stringContaining('Gigyahas')]));

    // Neither may the items of a list run together ("cookieValue.Your server").
    await search(page, 'Set-Cookie with cookieName');
    await searchResults(page).filter({ hasText: 'Set-Cookie with cookieName' }).first().waitFor();
    expect((await searchResults(page).allInnerTexts()).join('\n')).not.toMatch(/cookieValue\.Your/);

    await search(page, '403003');
    const row = searchResults(page).filter({ hasText: /403003\s+invalid signature/ }).first();
    await row.waitFor();
    const title = row.locator('[data-intro-section]');
    await title.waitFor();
    expect(await title.getAttribute('data-intro-section')).toBe('Errors › Error codes');
    expect(await title.evaluate((element) => getComputedStyle(element, '::after').content)).toContain('Errors › Error codes');
    await leave(visit);
  });

  test('search: Enter opens the first result', async () => {
    visit = await openDocs();
    const { page } = visit;
    await search(page, 'providerSessions');
    const href = await searchResults(page).first().getAttribute('href');
    expect(href).toMatch(/^#\//);
    await searchBox(page).press('Enter');
    await page.waitForFunction((expected) => decodeURIComponent(location.hash) === decodeURIComponent(expected), href!);
    await searchResults(page).first().waitFor({ state: 'detached' });
    await titleOf(page, 'socialize.notifyLogin').waitFor();
    await leave(visit);
  });

  test('list every uncertainty on its own page, as the marks in the contract and the introduction say', async () => {
    visit = await openDocs(desktop, '#/section/uncertainties');
    const { page } = visit;
    await page.locator('h2', { hasText: /^Uncertainties$/ }).filter({ visible: true }).first().waitFor();
    const contract = readContract();
    const expected = [
      ...introductionUncertainties(contract.info.description).map((e) => e.statement),
      ...contractUncertainties(contract).flatMap((e) => e.statements),
    ];
    const squash = (text: string) => text.toLowerCase().replace(/[^a-z0-9]+/g, '');
    const section = page.locator('[data-section-id^="/section/uncertainties"]');
    const items = (await section.locator('li').allInnerTexts()).map(squash);
    expect(items.length).toBe(expected.length);
    for (const statement of expected) expect(items.some((item) => item.includes(squash(statement))), statement).toBe(true);
    await leave(visit);
  });
});
