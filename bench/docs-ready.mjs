#!/usr/bin/env node
// How long until the reference docs are usable: real Chromium opens dist/docs/index.html from a local
// HTTP server and the clock runs from the start of navigation to the moment the search box is ready (its
// "Loading..." placeholder gives way to "Search"), the last thing Redoc sets up. The page is served both
// as is and gzip-compressed (what a compressing server such as the mock's /docs sends), alternately,
// so that the two are compared in the same conditions; prints the median of each and their ratio.
//   node bench/docs-ready.mjs [--runs 7]
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';

const runs = Number(process.argv[process.argv.indexOf('--runs') + 1] || 7);
const page = readFileSync(new URL('../dist/docs/index.html', import.meta.url));
const gzipped = gzipSync(page, { level: 9 });

const server = createServer((request, response) => {
  const compressed = request.url === '/gzip' && /\bgzip\b/.test(String(request.headers['accept-encoding']));
  response.writeHead(200, {
    'content-type': 'text/html; charset=utf-8',
    ...(compressed ? { 'content-encoding': 'gzip' } : {}),
  });
  response.end(compressed ? gzipped : page);
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const base = `http://127.0.0.1:${server.address().port}`;

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
});

/** One cold visit (a fresh context, so nothing is cached): ms from navigation start to search ready. */
async function visit(path) {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const tab = await context.newPage();
  try {
    const started = Date.now();
    await tab.goto(base + path, { waitUntil: 'commit', timeout: 120_000 });
    await tab.waitForFunction(
      () => {
        const trigger = document.querySelector('[data-testid="search-trigger"]');
        return trigger !== null && /search/i.test(trigger.textContent ?? '') && !/loading/i.test(trigger.textContent ?? '');
      },
      undefined,
      { timeout: 120_000, polling: 10 },
    );
    const ready = Date.now() - started;
    const loaded = await tab.evaluate(() => performance.getEntriesByType('navigation')[0]?.domContentLoadedEventEnd ?? NaN);
    return { ready, domContentLoaded: Math.round(loaded) };
  } finally {
    await context.close();
  }
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const results = { plain: [], gzip: [] };
try {
  await visit('/plain'); // warm-up: the first Chromium page pays for process start-up
  for (let i = 0; i < runs; i++) {
    for (const kind of i % 2 === 0 ? ['plain', 'gzip'] : ['gzip', 'plain']) results[kind].push(await visit(`/${kind}`));
  }
} finally {
  await browser.close();
  server.close();
}

const kib = (bytes) => `${Math.round(bytes / 1024)} KiB`;
console.log(`docs page: ${kib(page.length)} (${kib(gzipped.length)} gzipped), ${runs} cold visits each, Chromium 1440×900`);
for (const kind of ['plain', 'gzip']) {
  const ready = results[kind].map((r) => r.ready);
  const dcl = results[kind].map((r) => r.domContentLoaded);
  console.log(`${kind.padEnd(5)}  search ready: median ${median(ready)} ms (min ${Math.min(...ready)}, max ${Math.max(...ready)}); DOMContentLoaded median ${median(dcl)} ms`);
}
const ratio = median(results.plain.map((r) => r.ready)) / median(results.gzip.map((r) => r.ready));
console.log(`ratio plain/gzip (search ready): ${ratio.toFixed(2)}`);
