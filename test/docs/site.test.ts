// The docs site (npm run docs → dist/site/) as readers meet it: served by a plain static server under a
// sub-path, as a repository's GitHub Pages address is (https://<owner>.github.io/<repo>/), and opened from
// disk, in a real Chromium. Every request that leaves the site's folder is refused and recorded, every page
// must log no error, and every link of the site's navigation and pages must lead to a page that loads.
import { execFileSync } from 'node:child_process';
import { createReadStream, existsSync, readdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { parse } from 'yaml';

const root = fileURLToPath(new URL('../../', import.meta.url));
const siteDir = join(root, 'dist', 'site');
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const subPath = '/some/sub/path/';
// Bounds on waits for the page to be ready; a loaded 2-core machine can take seconds to hydrate Redoc.
const WAIT = 30_000;

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.yaml': 'application/yaml; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
};

interface StaticSite {
  base: string;
  served: string[];
  missing: string[];
  server: Server;
}

/** A static host for dist/site/ under `subPath` only, on 127.0.0.1 and a free port; records every request. */
async function serveSite(): Promise<StaticSite> {
  const served: string[] = [];
  const missing: string[] = [];
  const server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://site.invalid').pathname;
    const name = path.startsWith(subPath) ? decodeURIComponent(path.slice(subPath.length)) || 'index.html' : null;
    // The site is one flat folder: anything with a slash or a leading dot is not part of it.
    const file = name && !name.includes('/') && !name.startsWith('.') ? join(siteDir, name) : null;
    if (!file || !existsSync(file)) {
      missing.push(`${request.method} ${request.url}`);
      response.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    served.push(`${request.method} ${request.url}`);
    response.writeHead(200, { 'content-type': contentTypes[extname(file)] ?? 'application/octet-stream' });
    createReadStream(file).pipe(response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { base: `http://127.0.0.1:${port}${subPath}`, served, missing, server };
}

interface Visit {
  page: Page;
  consoleErrors: string[];
  refused: string[];
}

let browser: Browser | undefined;
let site: StaticSite | undefined;
const visits: Visit[] = [];

/** A page that may only reach URLs under `allowed` (the sub-path, or the site's folder on disk). */
async function newVisit(allowed: string): Promise<Visit> {
  const page = await browser!.newPage({ acceptDownloads: true });
  page.setDefaultTimeout(WAIT);
  const visit: Visit = { page, consoleErrors: [], refused: [] };
  page.on('console', (message) => {
    if (message.type() === 'error') visit.consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => visit.consoleErrors.push(`uncaught: ${error.message}`));
  await page.route('**/*', async (route) => {
    const url = route.request().url();
    if (url.startsWith(allowed)) return route.continue();
    visit.refused.push(`${route.request().method()} ${url}`);
    return route.abort('blockedbyclient');
  });
  visits.push(visit);
  return visit;
}

/** Waits until the page at the current URL is ready: Redoc hydrated (its sidebar logo drawn), or our page's heading. */
async function ready(page: Page): Promise<string> {
  const file = new URL(page.url()).pathname.split('/').pop() || 'index.html';
  if (file === 'index.html') {
    await page.locator('img[alt="redocly logo"]').waitFor();
    await page.locator('[data-component-name="Menu/MenuItem"]').first().waitFor();
  } else {
    await page.locator('main.site-page h1').first().waitFor();
  }
  await page.locator('nav.site-nav').waitFor();
  return file;
}

/** The site's own links on the page (its navigation and, on our pages, the content): href as written. */
async function siteLinks(page: Page): Promise<string[]> {
  return page.locator('nav.site-nav a, main.site-page a').evaluateAll((anchors) => anchors.map((a) => a.getAttribute('href')!));
}

function expectClean(visit: Visit): void {
  expect(visit.refused, 'requests that left the site').toEqual([]);
  expect(visit.consoleErrors, 'console errors').toEqual([]);
}

const htmlFiles = () =>
  readdirSync(siteDir)
    .filter((name) => name.endsWith('.html'))
    .sort();

/** Whether the site's file at `target` (an http: URL under the sub-path, or a file: URL) is there to load. */
async function linkTargetStatus(target: string): Promise<number> {
  if (target.startsWith('file:')) return existsSync(fileURLToPath(target)) ? 200 : 404;
  const response = await fetch(target);
  await response.arrayBuffer();
  return response.status;
}

/**
 * From the site's entry `start`, opens every page reachable by its links, once each: the entry by its
 * address, every other page by clicking a link to it as a reader does, waiting for the page to be ready.
 * Every link of every page must stay inside the site and lead to a file that is there (requested from the
 * host, or found on disk), and every page a link leads to is one the walk opens. Returns the pages reached
 * and the other files linked.
 */
async function walkSite(start: string, allowed = start): Promise<{ pages: string[]; files: string[] }> {
  const visit = await newVisit(allowed);
  const { page } = visit;
  const pages = new Map<string, string>(); // page file → its URL
  const files = new Set<string>();
  const linked = new Map<string, string>(); // page file → the URL a link gave it
  const response = await page.goto(start);
  if (response) expect(response.status(), start).toBe(200);
  let arriving: string | undefined; // the page a click is taking the reader to
  for (;;) {
    const file = await ready(page);
    if (arriving !== undefined) expect(file, `the link to ${arriving} opens it`).toBe(arriving);
    pages.set(file, page.url());
    const here = await siteLinks(page);
    for (const href of here) {
      expect(href, 'a relative link').toMatch(/^[^/#:]+$/);
      const target = new URL(href, page.url()).href;
      expect(target.startsWith(allowed), `${href} stays inside the site`).toBe(true);
      expect(await linkTargetStatus(target), `${href} on ${file} leads to a file that is there`).toBe(200);
      if (href.endsWith('.html')) linked.set(href, target);
      else files.add(href);
    }
    arriving = [...linked.keys()].find((href) => !pages.has(href));
    if (arriving === undefined) break;
    const target = linked.get(arriving)!;
    if (!here.includes(arriving)) {
      await page.goto(target); // linked from an earlier page only
      continue;
    }
    // Follow the link as a reader does.
    const link = page.locator(`nav.site-nav a[href="${arriving}"], main.site-page a[href="${arriving}"]`).first();
    await Promise.all([page.waitForURL(target), link.click()]);
  }
  for (const [href, target] of linked) {
    const reached = href === 'index.html' ? [target, allowed] : [target];
    expect(reached, `${href} leads to a page the walk opened`).toContain(pages.get(href));
  }
  expectClean(visit);
  return { pages: [...pages.keys()].sort(), files: [...files].sort() };
}

beforeAll(async () => {
  if (!existsSync(chromiumPath)) {
    throw new Error(`No Chromium at ${chromiumPath}: install Debian's package (apt-get install -y chromium), as .ci/run does, or set CHROMIUM_PATH.`);
  }
  // The site script rebuilds the reference page only when it is stale, as npm run docs leaves it.
  execFileSync(process.execPath, ['scripts/site.mjs'], { cwd: root, stdio: 'pipe' });
  site = await serveSite();
  browser = await chromium.launch({
    executablePath: chromiumPath,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
  });
});

afterEach(async () => {
  for (const visit of visits.splice(0)) await visit.page.close();
});

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => site?.server.close(resolve));
});

describe(`the docs site served under ${subPath}`, () => {
  test('every page loads and every link between the pages leads to one, without leaving the sub-path', async () => {
    const { pages, files } = await walkSite(site!.base);
    expect(pages, 'every page of dist/site is reached from the entry').toEqual(htmlFiles());
    expect(files).toEqual(['openapi.json', 'openapi.yaml']);
    expect(site!.missing, 'requests the static host could not answer').toEqual([]);
  }, 300_000);

  test('the contract files download from the reference page, as the bundled contract', async () => {
    const visit = await newVisit(site!.base);
    const { page } = visit;
    await page.goto(site!.base);
    await ready(page);
    const bundled = readFileSync(join(root, 'generated', 'openapi.yaml'), 'utf8');
    for (const name of ['openapi.yaml', 'openapi.json']) {
      const [download] = await Promise.all([page.waitForEvent('download'), page.locator(`nav.site-nav a[href="${name}"]`).click()]);
      expect(download.suggestedFilename()).toBe(name);
      expect(download.url()).toBe(new URL(name, site!.base).href);
      const text = readFileSync(await download.path(), 'utf8');
      if (name.endsWith('.yaml')) expect(text).toBe(bundled);
      else expect(JSON.parse(text)).toEqual(parse(bundled));
    }
    expectClean(visit);
  }, 120_000);

  test("the reference's own navigation keeps the reader under the sub-path", async () => {
    const visit = await newVisit(site!.base);
    const { page } = visit;
    await page.goto(site!.base);
    await ready(page);
    await page.locator('[data-component-name="Menu/MenuItem"] a').filter({ visible: true }).nth(2).click();
    await page.waitForURL((url) => url.hash !== '');
    expect(page.url().startsWith(site!.base)).toBe(true);
    await page.reload();
    await ready(page);
    expectClean(visit);
    expect(site!.missing).toEqual([]);
  }, 120_000);

  test("What changed shows CHANGELOG.md's newest entry", async () => {
    // Read here on its own terms: the first "## " section with something in it.
    const changelog = readFileSync(join(root, 'CHANGELOG.md'), 'utf8');
    const entry = changelog
      .split(/^## /m)
      .slice(1)
      .map((section) => {
        const [heading, ...body] = section.split('\n');
        return { heading: heading!.trim(), body: body.join('\n').trim() };
      })
      .find((section) => section.body !== '')!;
    const visit = await newVisit(site!.base);
    const { page } = visit;
    await page.goto(new URL('changes.html', site!.base).href);
    await ready(page);
    expect(await page.locator('main h2').first().textContent()).toBe(entry.heading.replace(/^\[([^\]]+)\]/, '$1'));
    const groups = [...entry.body.matchAll(/^### (.+)$/gm)].map((match) => match[1]);
    expect(await page.locator('main h3').allTextContents()).toEqual(groups);
    const items = entry.body.split('\n').filter((line) => line.startsWith('- ')).length;
    expect(await page.locator('main > ul > li').count()).toBe(items);
    expectClean(visit);
  }, 120_000);
});

describe('the docs site opened from disk', () => {
  test('every page loads and every link between the pages leads to one', async () => {
    const start = pathToFileURL(join(siteDir, 'index.html')).href;
    const { pages, files } = await walkSite(start, `${pathToFileURL(siteDir).href}/`);
    expect(pages).toEqual(htmlFiles());
    expect(files).toEqual(['openapi.json', 'openapi.yaml']);
  }, 300_000);
});
