// The reference docs as a reader meets them: the built file opened from disk in a real Chromium that may not
// reach any other host. Every request that is not file:// is refused and recorded.
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { parse } from 'yaml';
// @ts-expect-error a plain ES module of the build tooling, without types
import { ensureDocs } from '../../scripts/freshness.mjs';
import { contractUncertainties, introductionUncertainties } from '../../scripts/uncertainties.mjs';

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

const desktop = { width: 1440, height: 900 };
const phone = { width: 390, height: 844 };
type Viewport = typeof desktop;

// One loaded page per viewport, shared by the tests in the order they are declared: loading the page and
// its 2.2 MB Redoc bundle cold takes 5–10 s on this shared 2-core machine, and every test but the last
// reads the page as it is once loaded. Each test starts from the same place (restore()) and checks the
// console errors and outside requests of its own stretch of the visit (checkClean()); the last test leaves
// the pages and checks the whole visits.
const open = new Map<Viewport, Visit>();
/** The visit of the running test, and where its stretch of the console and request logs begins. */
let current: { visit: Visit; consoleErrors: number; outsideRequests: number; finished: boolean } | undefined;

async function openDocs(viewport: Viewport): Promise<Visit> {
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
  await page.goto(pathToFileURL(docsFile).href);
  // The page is prerendered and then hydrated; the sidebar's Redocly logo is drawn only once hydration has
  // run, and it is the image the build moved from a CDN into the page, so it must also have loaded (on a
  // phone the sidebar, and so the logo, is hidden behind the menu button).
  const logo = page.locator('img[alt="redocly logo"]');
  await logo.waitFor({ state: 'attached' });
  await page.waitForFunction(() => (document.querySelector('img[alt="redocly logo"]') as HTMLImageElement | null)?.complete === true);
  expect(await logo.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0), 'logo drawn').toBe(true);
  return { page, consoleErrors, outsideRequests };
}

/**
 * Puts a loaded page back where a fresh visit starts, without reloading it: the search box closed, the
 * phone's navigation menu closed, nothing focused, the route `hash` (the introduction by default),
 * scrolled to the top.
 */
async function restore(page: Page, viewport: Viewport, hash: string): Promise<void> {
  if (await searchBox(page).isVisible()) {
    await searchBox(page).press('Escape');
    await searchBox(page).waitFor({ state: 'hidden' });
  }
  const closeMenu = page.getByRole('button', { name: 'Close navigation menu' });
  if (viewport === phone && (await closeMenu.isVisible())) {
    await closeMenu.click();
    await page.getByRole('button', { name: 'Open navigation menu' }).waitFor();
  }
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await page.goto(pathToFileURL(docsFile).href + hash);
  await page.evaluate(() => window.scrollTo(0, 0));
}

/** The docs at `viewport`, from the shared page of that viewport (opened on first use), at route `hash`. */
async function docsAt(viewport: Viewport = desktop, hash = '#/'): Promise<Visit> {
  let visit = open.get(viewport);
  if (!visit) {
    visit = await openDocs(viewport);
    open.set(viewport, visit);
  }
  await restore(visit.page, viewport, hash);
  current = { visit, consoleErrors: visit.consoleErrors.length, outsideRequests: visit.outsideRequests.length, finished: false };
  return visit;
}

/** A page of the test's own, not shared, opened at the introduction; the test ends with leave(). */
async function freshDocs(viewport: Viewport = desktop): Promise<Visit> {
  const visit = await openDocs(viewport);
  current = { visit, consoleErrors: 0, outsideRequests: 0, finished: false };
  return visit;
}

/** Requires that the page reached no other host and logged no error while this test used it. */
function checkClean(visit: Visit): void {
  expect(visit.outsideRequests.slice(current?.visit === visit ? current.outsideRequests : 0), 'requests to other hosts').toEqual([]);
  expect(visit.consoleErrors.slice(current?.visit === visit ? current.consoleErrors : 0), 'console errors').toEqual([]);
  if (current?.visit === visit) current.finished = true;
}

/** Closes the page, then requires that in the whole visit it never reached another host nor logged an error. */
async function leave(visit: Visit): Promise<void> {
  for (const [viewport, seen] of open) if (seen === visit) open.delete(viewport);
  await visit.page.close({ runBeforeUnload: true });
  if (current?.visit === visit) current.finished = true;
  expect(visit.outsideRequests, 'requests to other hosts').toEqual([]);
  expect(visit.consoleErrors, 'console errors').toEqual([]);
}

beforeAll(async () => {
  if (!existsSync(chromiumPath)) {
    throw new Error(
      `No Chromium at ${chromiumPath}: the docs test needs a real browser. Install Debian's package as root ` +
        '(`apt-get update && apt-get install -y chromium`), as .ci/run does, or point CHROMIUM_PATH at a Chromium binary.',
    );
  }
  // test/global-setup.ts has built the page; this rebuilds it only if it went stale since (an edit while
  // vitest watches), instead of rewriting the file other test files may be reading.
  ensureDocs(() => undefined);
  mkdirSync(dirname(screenshot), { recursive: true });
  browser = await chromium.launch({
    executablePath: chromiumPath,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
  });
});

afterEach(async () => {
  // A test that stopped before its end may have left its page anywhere (a dialog open, a half-typed
  // search): close it, so that the next test starts on a freshly loaded page.
  if (current && !current.finished) {
    for (const [viewport, seen] of open) if (seen === current.visit) open.delete(viewport);
    await current.visit.page.close();
  }
  current = undefined;
});

afterAll(async () => {
  await browser?.close();
});

describe('reference docs opened from disk, offline', () => {
  test('show all four operations, each reachable from the sidebar', async () => {
    const visit = await docsAt();
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
    checkClean(visit);
  });

  test('find a request field by its name with the search box', async () => {
    const visit = await docsAt();
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
    checkClean(visit);
  });

  test('lead every in-page link of the introduction to a section that exists', async () => {
    const visit = await docsAt();
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
      expect(
        found.filter((link) => link.href === href),
        `${href} is a link on the page`,
      ).not.toEqual([]);
      expect(
        found.filter((link) => link.href === href && !link.target),
        `${href} leads to a section`,
      ).toEqual([]);
    }
    checkClean(visit);
  });
});

/** The hash route of an operation's page, as the sidebar links to it: #/<tag>/<operationId>, lower case. */
async function operationHash(_page: Page, operationId: string): Promise<string> {
  const tag = operationInContract(operationId).tag.toLowerCase().replace(/\s+/g, '-');
  return `#/${tag}/${operationId.toLowerCase()}`;
}

/** The section of the operation at `hash`, which holds its panels (request, samples, security). */
const operationSection = (page: Page, hash: string) => page.locator(`[data-section-id="${hash.slice(1)}"]`);

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The operation's title: the heading whose whole text is the method name. */
function titleOf(page: Page, operationId: string) {
  return page
    .locator('h1, h2')
    .filter({ hasText: new RegExp(`^${escapeRegExp(operationId)}$`) })
    .filter({ visible: true })
    .first();
}

/** How many lines the text of an element takes on screen. */
async function linesOf(page: Page, selector: string): Promise<number> {
  return page
    .locator(selector)
    .first()
    .evaluate((element) => {
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
    const visit = await docsAt(viewport);
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
    checkClean(visit);
  });

  test('clip no code block: samples, the signature formula, the worked examples', async () => {
    const visit = await docsAt(viewport);
    const { page } = visit;
    await page.locator('pre', { hasText: 'HMAC-SHA1' }).first().waitFor({ state: 'attached' });
    expect(await clippedCodeBlocks(page), 'introduction').toEqual([]);
    for (const operationId of operations) {
      await page.goto(pathToFileURL(docsFile).href + (await operationHash(page, operationId)));
      await titleOf(page, operationId).waitFor();
      await page.locator('pre').filter({ visible: true }).first().waitFor();
      expect(await clippedCodeBlocks(page), operationId).toEqual([]);
    }
    checkClean(visit);
  });
});

describe('reference docs, reader-facing details', () => {
  test("list every operation's TypeScript sample in the language picker, and show it when chosen", async () => {
    const visit = await docsAt();
    const { page } = visit;
    for (const operationId of operations) {
      const sample = operationInContract(operationId)['x-codeSamples'].find((s) => s.lang === 'TypeScript');
      expect(sample, `${operationId} lists a TypeScript sample`).toBeDefined();
      const hash = await operationHash(page, operationId);
      await page.goto(pathToFileURL(docsFile).href + hash);
      await titleOf(page, operationId).waitFor();
      // The picker shows the language chosen last (the page remembers it across operations). The
      // operation's own picker and sample: the sections of operations visited before stay in the page.
      const section = operationSection(page, hash);
      await section
        .getByRole('button', { name: /^(curl|TypeScript client)$/ })
        .filter({ visible: true })
        .first()
        .click();
      await page.getByRole('menuitem', { name: sample!.label, exact: true }).click();
      const firstLine = sample!.source.split('\n')[0]!;
      await section.locator('pre', { hasText: firstLine }).filter({ visible: true }).first().waitFor();
    }
    checkClean(visit);
  });

  test('say in the Security box that most calls authenticate with form fields, and name the two schemes', async () => {
    const visit = await docsAt(desktop);
    const { page } = visit;
    const hash = await operationHash(page, 'socialize.notifyLogin');
    await page.goto(pathToFileURL(docsFile).href + hash);
    // The operation's own box: the sections of operations visited before stay in the page.
    const box = operationSection(page, hash)
      .locator('[data-component-name="Panel/Panel"]', { hasText: 'Security' })
      .filter({ visible: true })
      .first();
    const body = box.locator('[data-testid="panel-body"] > div').first();
    await body.waitFor();
    const shown = `${await body.evaluate((element) => getComputedStyle(element, '::before').content)} ${await body.innerText()}`;
    expect(shown).toMatch(/form fields in the body/);
    expect(shown).toMatch(/userKeyBearer/);
    expect(shown).toMatch(/mutualTLS/);
    checkClean(visit);
  });

  test('show server descriptions without raw markdown', async () => {
    // A page of its own: on the shared page, once other operations have been visited, the server menu does
    // not open on this click (the page is still scrolling between sections), while a reader's fresh visit
    // opens it.
    const visit = await freshDocs();
    const { page } = visit;
    await page.goto(pathToFileURL(docsFile).href + (await operationHash(page, 'socialize.setUID')));
    await page
      .getByRole('button', { name: /\/socialize\.setUID/ })
      .filter({ visible: true })
      .first()
      .click();
    const servers = page.getByRole('menuitem').filter({ hasText: 'socialize.setUID' });
    await servers.first().waitFor();
    const texts = await servers.allInnerTexts();
    expect(texts.length).toBe(readContract().servers.length);
    for (const text of texts) expect(text, 'no backticks').not.toContain('`');
    await leave(visit);
  });

  test('search: snippets keep their spaces, results name their section, "403003" finds the error-code row', async () => {
    const visit = await docsAt();
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
    const row = searchResults(page)
      .filter({ hasText: /403003\s+invalid signature/ })
      .first();
    await row.waitFor();
    const title = row.locator('[data-intro-section]');
    await title.waitFor();
    expect(await title.getAttribute('data-intro-section')).toBe('Errors › Error codes');
    expect(await title.evaluate((element) => getComputedStyle(element, '::after').content)).toContain('Errors › Error codes');
    checkClean(visit);
  });

  test('search: Enter opens the first result', async () => {
    const visit = await docsAt();
    const { page } = visit;
    await search(page, 'providerSessions');
    const href = await searchResults(page).first().getAttribute('href');
    expect(href).toMatch(/^#\//);
    await searchBox(page).press('Enter');
    await page.waitForFunction((expected) => decodeURIComponent(location.hash) === decodeURIComponent(expected), href!);
    await searchResults(page).first().waitFor({ state: 'detached' });
    await titleOf(page, 'socialize.notifyLogin').waitFor();
    checkClean(visit);
  });

  test('list every uncertainty on its own page, as the marks in the contract and the introduction say', async () => {
    const visit = await docsAt(desktop, '#/section/uncertainties');
    const { page } = visit;
    await page
      .locator('h2', { hasText: /^Uncertainties$/ })
      .filter({ visible: true })
      .first()
      .waitFor();
    const contract = readContract();
    const expected = [
      ...introductionUncertainties(contract.info.description).map((e) => e.statement),
      ...contractUncertainties(contract).flatMap((e) => e.statements),
    ];
    const squash = (text: string) => text.toLowerCase().replace(/[^a-z0-9]+/g, '');
    const section = page.locator('[data-section-id^="/section/uncertainties"]');
    const items = (await section.locator('li').allInnerTexts()).map(squash);
    expect(items.length).toBe(expected.length);
    for (const statement of expected)
      expect(
        items.some((item) => item.includes(squash(statement))),
        statement,
      ).toBe(true);
    checkClean(visit);
  });
});

// Last, as a reader's visit ends: every page the tests above used is read to the end and left.
describe('reference docs, left by the reader', () => {
  test('make no outside request and log no error, through to the reader leaving the page', async () => {
    await docsAt(desktop);
    for (const visit of [...open.values()]) {
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
    }
    current = undefined;
  });
});
