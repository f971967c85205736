// The mock serves its docs page compressed to clients that accept gzip (the page is 2.8 MB), plain to
// others, and both decode to the same file.
import { get } from 'node:http';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startMockServer, type MockServer } from 'gigya-socialize-mock';

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
