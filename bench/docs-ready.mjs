#!/usr/bin/env node
// How long until the reference docs are usable: real Chromium opens the page from a local HTTP server and
// the clock runs from the start of navigation to the moment the search box is ready (its "Loading..."
// placeholder gives way to "Search"), the last thing Redoc sets up. The page is dist/docs/index.html and
// the Redoc bundle beside it that it loads (scripts/docs-files.mjs), served both as is and gzip-compressed
// (what a compressing server such as the mock's /docs sends), alternately, so that the two are compared
// in the same conditions; prints the median of each and their ratio.
// Two kinds of cold visit, both printed: a fresh browser context per visit (a new window, as a first
// visit in a new browser profile), and one tab of a running browser whose HTTP cache (which also holds V8's
// code cache) is cleared before each visit, as a reader opening the page in the browser they already have
// open. Headless Chromium loads its own address-bar WebUI into every new window, about 2 s of CPU on this
// machine that competes with the page (docs/DECISIONS.md, item 27); the second kind leaves that out.
//   node bench/docs-ready.mjs [--runs 7] [--compare DIR]
// --compare DIR adds the page in DIR (index.html and its scripts, e.g. a copy of dist/docs built from
// another commit), visited gzipped in the same alternation, for a before/after on a busy machine.
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { docsFiles } from '../scripts/docs-files.mjs';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '7' }, compare: { type: 'string' } } });
const runs = Number(values.runs);
if (!Number.isInteger(runs) || runs < 1 || runs > 100) throw new Error(`--runs must be a whole number from 1 to 100, not ${values.runs}`);

/** The files of the page in `dir`: { name: { plain, gzipped } }. */
function pageFiles(dir) {
  const files = {};
  for (const name of docsFiles(dir)) {
    const plain = readFileSync(join(dir, name));
    files[name] = { plain, gzipped: gzipSync(plain, { level: 9 }) };
  }
  return files;
}
const sites = { plain: pageFiles(fileURLToPath(new URL('../dist/docs/', import.meta.url))) };
sites.gzip = sites.plain;
if (values.compare) sites.compare = pageFiles(values.compare);

// How many times a script of the page was sent: each visit must fetch it, or it was not a cold visit.
let scriptsServed = 0;
// /<kind>/<file>: kind is plain, gzip or compare (gzipped); /<kind>/ is the page.
const server = createServer((request, response) => {
  const [, kind, name] = /^\/(\w+)\/([\w.-]*)$/.exec(request.url ?? '') ?? [];
  const file = sites[kind]?.[name || 'index.html'];
  if (!file) return response.writeHead(404).end();
  if (name.endsWith('.js')) scriptsServed++;
  const compressed = kind !== 'plain' && /\bgzip\b/.test(String(request.headers['accept-encoding']));
  response.writeHead(200, {
    'content-type': name.endsWith('.js') ? 'text/javascript; charset=utf-8' : 'text/html; charset=utf-8',
    ...(compressed ? { 'content-encoding': 'gzip' } : {}),
  });
  response.end(compressed ? file.gzipped : file.plain);
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const base = `http://127.0.0.1:${server.address().port}`;

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
});

/** ms from navigation start to search ready, and DOMContentLoaded, for one visit of `kind` in `tab`. */
async function timeVisit(tab, kind) {
  const servedBefore = scriptsServed;
  const started = Date.now();
  await tab.goto(`${base}/${kind}/`, { waitUntil: 'commit', timeout: 120_000 });
  await tab.waitForFunction(
    () => {
      const trigger = document.querySelector('[data-testid="search-trigger"]');
      return trigger !== null && /search/i.test(trigger.textContent ?? '') && !/loading/i.test(trigger.textContent ?? '');
    },
    undefined,
    { timeout: 120_000, polling: 10 },
  );
  const ready = Date.now() - started;
  if (scriptsServed === servedBefore) throw new Error(`a visit of ${kind} took Redoc's bundle from a cache: not a cold visit`);
  const loaded = await tab.evaluate(() => performance.getEntriesByType('navigation')[0]?.domContentLoadedEventEnd ?? NaN);
  return { ready, domContentLoaded: Math.round(loaded) };
}

/** A cold visit in a fresh context (a new window, nothing cached). */
async function newWindowVisit(kind) {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  try {
    return await timeVisit(await context.newPage(), kind);
  } finally {
    await context.close();
  }
}

// The running browser's one tab, and the CDP session that clears its cache before each visit.
const running = await browser.newContext({ viewport: { width: 1440, height: 900 } });
const runningTab = await running.newPage();
const cdp = await running.newCDPSession(runningTab);

/** A cold visit in the running browser's tab: blank page, HTTP and code cache cleared, then the page. */
async function runningBrowserVisit(kind) {
  await runningTab.goto('about:blank');
  await cdp.send('Network.clearBrowserCache');
  return timeVisit(runningTab, kind);
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const kinds = Object.keys(sites);
const modes = { 'new window': newWindowVisit, 'running browser': runningBrowserVisit };
const results = Object.fromEntries(Object.keys(modes).map((mode) => [mode, Object.fromEntries(kinds.map((kind) => [kind, []]))]));
try {
  await newWindowVisit('plain'); // warm-up: the first Chromium page pays for process start-up
  await runningBrowserVisit('plain');
  for (let i = 0; i < runs; i++) {
    for (const [mode, visit] of Object.entries(modes)) {
      for (let j = 0; j < kinds.length; j++) {
        const kind = kinds[(i + j) % kinds.length]; // each kind goes first in turn
        results[mode][kind].push(await visit(kind));
      }
    }
  }
} finally {
  await browser.close();
  server.close();
}

const kib = (bytes) => `${Math.round(bytes / 1024)} KiB`;
const describe = (files) => {
  const plain = Object.values(files).reduce((sum, f) => sum + f.plain.length, 0);
  const gzipped = Object.values(files).reduce((sum, f) => sum + f.gzipped.length, 0);
  const parts = Object.entries(files)
    .map(([name, f]) => `${name} ${kib(f.plain.length)}`)
    .join(' + ');
  return `${kib(plain)} (${kib(gzipped)} gzipped): ${parts}`;
};
console.log(`docs page: ${describe(sites.plain)}`);
if (values.compare) console.log(`compare:   ${describe(sites.compare)} (${values.compare})`);
console.log(
  `${runs} cold visits of each kind in each mode, Chromium 1440×900, load average ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}`,
);
for (const [mode, byKind] of Object.entries(results)) {
  console.log(`${mode}:`);
  for (const kind of kinds) {
    const ready = byKind[kind].map((r) => r.ready);
    const dcl = byKind[kind].map((r) => r.domContentLoaded);
    console.log(
      `  ${kind.padEnd(7)}  search ready: median ${median(ready)} ms (min ${Math.min(...ready)}, max ${Math.max(...ready)}); DOMContentLoaded median ${median(dcl)} ms`,
    );
  }
  const ready = (kind) => median(byKind[kind].map((r) => r.ready));
  console.log(`  ratio plain/gzip (search ready): ${(ready('plain') / ready('gzip')).toFixed(2)}`);
  if (values.compare) console.log(`  ratio compare/gzip (search ready): ${(ready('compare') / ready('gzip')).toFixed(2)}`);
}
