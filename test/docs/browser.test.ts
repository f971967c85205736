// The reference docs as a reader meets them: the built file opened from disk in a real Chromium that may not
// reach any other host. Every request that is not file:// is refused and recorded.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { parse } from 'yaml';

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
function operationInContract(operationId: string): { tag: string; summary: string } {
  const contract = parse(readFileSync(new URL('../../generated/openapi.yaml', import.meta.url), 'utf8'));
  for (const item of Object.values<Record<string, { operationId?: string; tags?: string[]; summary?: string }>>(
    contract.paths,
  )) {
    for (const operation of Object.values(item)) {
      if (operation?.operationId === operationId) return { tag: operation.tags![0]!, summary: operation.summary! };
    }
  }
  throw new Error(`${operationId} is not in generated/openapi.yaml`);
}

let browser: Browser | undefined;
let visit: Visit | undefined;

async function openDocs(): Promise<Visit> {
  const page = await browser!.newPage({ viewport: { width: 1400, height: 900 } });
  page.setDefaultTimeout(5_000);
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
  // run, and it is the image the build moved from a CDN into the page, so it must also have loaded.
  const logo = page.locator('img[alt="redocly logo"]');
  await logo.waitFor();
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
      // The operation's own section: its summary as heading and "<METHOD> /<path>" in the request panel.
      await page.locator('h1, h2', { hasText: operation.summary }).filter({ visible: true }).first().waitFor();
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
