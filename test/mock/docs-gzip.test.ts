// The mock serves its docs page and the Redoc bundle it loads compressed to clients that accept gzip, plain
// to others, and both decode to the same file; it serves no other file of the page's folder.
import { get } from 'node:http';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startMockServer, type MockServer } from 'gigya-socialize-mock';
import { pageScripts } from '../../scripts/docs-files.mjs';

const docs = fileURLToPath(new URL('../../dist/docs/index.html', import.meta.url)); // built by the global setup
let mock: MockServer;

beforeAll(async () => {
  mock = await startMockServer({ port: 0, docs });
});
afterAll(() => mock.close());

function fetchDocs(acceptEncoding?: string): Promise<{ encoding: string | undefined; vary: string | undefined; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const headers = acceptEncoding === undefined ? {} : { 'accept-encoding': acceptEncoding };
    get(`${mock.url}/docs`, { headers, timeout: 30_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ encoding: res.headers['content-encoding'], vary: res.headers.vary, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    }).on('error', reject);
  });
}

test('a client that accepts gzip gets the page gzipped, once the compressed copy is made; others get it plain', async () => {
  const page = readFileSync(docs);
  let answer = await fetchDocs('gzip, deflate, br');
  // The compressed copy is made in the background after the first request: wait for it, boundedly.
  for (let tries = 0; answer.encoding !== 'gzip' && tries < 300; tries++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    answer = await fetchDocs('gzip, deflate, br');
  }
  expect(answer.encoding).toBe('gzip');
  expect(answer.vary).toBe('accept-encoding');
  expect(answer.body.length).toBeLessThan(page.length / 2);
  expect(gunzipSync(answer.body).equals(page)).toBe(true);
  const plain = await fetchDocs();
  expect(plain.encoding).toBeUndefined();
  expect(plain.body.equals(page)).toBe(true);
}, 60_000);

function fetchPath(path: string, acceptEncoding = 'gzip'): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    get(`${mock.url}${path}`, { headers: { 'accept-encoding': acceptEncoding }, timeout: 30_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    }).on('error', reject);
  });
}

test('the Redoc bundle the page loads is served where /docs and /docs/ resolve it, gzipped, to be kept for good', async () => {
  const names = pageScripts(readFileSync(docs, 'utf8'));
  expect(names.length, 'the page loads its Redoc bundle').toBeGreaterThan(0);
  for (const name of names) {
    const script = readFileSync(join(dirname(docs), name));
    for (const path of [`/${name}`, `/docs/${name}`]) {
      let answer = await fetchPath(path);
      for (let tries = 0; answer.headers['content-encoding'] !== 'gzip' && tries < 300; tries++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        answer = await fetchPath(path);
      }
      expect(answer.status, path).toBe(200);
      expect(answer.headers['content-type']).toBe('text/javascript; charset=utf-8');
      expect(answer.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      expect(gunzipSync(answer.body).equals(script)).toBe(true);
      const plain = await fetchPath(path, 'identity');
      expect(plain.headers['content-encoding']).toBeUndefined();
      expect(plain.body.equals(script)).toBe(true);
    }
  }
}, 60_000);

test('only the scripts the page names are served from its folder', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mock-docs-scripts-'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><script defer src="app.js"></script>');
  writeFileSync(join(dir, 'app.js'), 'console.log("app")');
  writeFileSync(join(dir, 'other.js'), 'console.log("not named by the page")');
  const own = await startMockServer({ port: 0, docs: join(dir, 'index.html') });
  try {
    const named = await fetch(`${own.url}/docs/app.js`);
    expect(named.status).toBe(200);
    expect(named.headers.get('cache-control'), 'no hash in the name: asked for again').toBe('no-cache');
    expect(await named.text()).toBe('console.log("app")');
    for (const path of ['/other.js', '/docs/other.js', '/docs/index.html']) {
      const answer = await fetch(`${own.url}${path}`);
      expect(await answer.text(), path).not.toContain('console.log');
    }
  } finally {
    await own.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
