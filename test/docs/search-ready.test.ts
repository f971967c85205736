// The docs page starts Redoc's search index from a timer once the search box has rendered, not when the
// browser reports an idle moment (scripts/docs.mjs, searchIndexAtOnce; docs/DECISIONS.md, item 27), held on
// the built page (the test setup builds it when a docs source is newer).
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

const docsFile = fileURLToPath(new URL('../../dist/docs/index.html', import.meta.url));
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

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
  // With Redoc's own start, the search box would say "Loading..." for good in both browsers (until the
  // reader points at it).
  const browsers = {
    'that never has an idle moment': () => {
      window.requestIdleCallback = () => 0;
    },
    'without requestIdleCallback': () => {
      Reflect.deleteProperty(window, 'requestIdleCallback');
    },
  };
  test.each(Object.entries(browsers))('search is ready, and finds, in a browser %s', async (_name, setUp) => {
    const page = await browser!.newPage({ viewport: { width: 1440, height: 900 } });
    try {
      page.setDefaultTimeout(45_000);
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(error.message));
      await page.addInitScript(setUp);
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
});
