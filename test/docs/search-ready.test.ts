// What scripts/docs.mjs changes so that the docs page's search is ready sooner (docs/DECISIONS.md), held on
// the built page (the test setup builds it when a docs source is newer): Redoc starts its search index from
// a timer once the search box has rendered, not when the browser reports an idle moment; and the page's
// contract puts the one-line summary before the introduction's first heading, where Redoc shows it under
// the title, so that Redoc does not parse the whole introduction to find that nothing is there.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { parse } from 'yaml';

const docsFile = fileURLToPath(new URL('../../dist/docs/index.html', import.meta.url));
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const contract = () => parse(readFileSync(new URL('../../generated/openapi.yaml', import.meta.url), 'utf8'));

/** The contract the page hydrates with, as scripts/docs.mjs wrote it into the page. */
function pageContract() {
  const html = readFileSync(docsFile, 'utf8');
  const json = /<script type="application\/json" id="redoc-definition">(.*?)<\/script>/s.exec(html)?.[1];
  if (!json) throw new Error('no #redoc-definition in dist/docs/index.html');
  return JSON.parse(json);
}

let browser: Browser | undefined;

beforeAll(async () => {
  if (!existsSync(chromiumPath)) throw new Error(`No Chromium at ${chromiumPath} (set CHROMIUM_PATH)`);
  browser = await chromium.launch({
    executablePath: chromiumPath,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
  });
});

afterAll(async () => {
  await browser?.close();
});

describe('the docs page gets its search ready without waiting for the browser to be idle', () => {
  test('search is ready, and finds, in a browser that never has an idle moment', async () => {
    const page = await browser!.newPage({ viewport: { width: 1440, height: 900 } });
    try {
      page.setDefaultTimeout(45_000);
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(error.message));
      // An idle callback that never comes: with Redoc's own start, the search box would say "Loading..." for good.
      await page.addInitScript(() => {
        window.requestIdleCallback = () => 0;
      });
      await page.goto(pathToFileURL(docsFile).href);
      await page.waitForFunction(() => {
        const trigger = document.querySelector('[data-testid="search-trigger"]');
        return trigger !== null && /search/i.test(trigger.textContent ?? '') && !/loading/i.test(trigger.textContent ?? '');
      });
      await page.locator('[data-testid="search-trigger"]').click();
      await page.getByPlaceholder('Search docs').fill('providerSessions');
      await page.locator('[data-component-name="Search/SearchItem"]').filter({ hasText: 'providerSessions' }).first().waitFor();
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });

  test("the introduction's lead is the contract's summary, shown once under the title", async () => {
    const { summary } = contract().info;
    const info = pageContract().info;
    expect(info.summary, 'the page contract moves the summary into the description').toBeUndefined();
    expect(info.description.startsWith(`${summary}\n\n# `), 'the summary, then the first heading').toBe(true);
    const page = await browser!.newPage({ viewport: { width: 1440, height: 900 } });
    try {
      page.setDefaultTimeout(45_000);
      await page.goto(pathToFileURL(docsFile).href);
      await page.locator('img[alt="redocly logo"]').waitFor({ state: 'attached' }); // hydrated
      const shown = page.locator('p', { hasText: summary }).filter({ visible: true });
      await shown.first().waitFor();
      expect(await shown.count()).toBe(1);
      const below = await page.evaluate((text) => {
        const title = document.querySelector('h1')!.getBoundingClientRect();
        const lead = [...document.querySelectorAll('p')].find((p) => p.textContent === text)!.getBoundingClientRect();
        return lead.top >= title.bottom && lead.top - title.bottom < 200;
      }, summary);
      expect(below, 'the summary sits right under the title').toBe(true);
    } finally {
      await page.close();
    }
  });
});
