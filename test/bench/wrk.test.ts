// The mock section's load generator (bench/lib/wrk.mjs with bench/lib/wrk-load.lua) must see a wrong answer:
// the mock answers its errors with HTTP 200, so only the script's errorCode check tells them apart. Against
// the real mock for one second each: an unauthenticated call (400002) counts every answer as bad and keeps
// one as the sample; a valid one counts none; a file of bodies is sent in turn and says how many it took.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockServer, type MockServer } from '../../src/mock/index.js';
// @ts-expect-error: a plain .mjs module of the bench, without types
import { wrkLoad } from '../../bench/lib/wrk.mjs';

let mock: MockServer;
let dir: string;
const credentials = () => `&apiKey=${encodeURIComponent(mock.apiKey)}&secret=${encodeURIComponent(mock.secret)}`;

beforeAll(async () => {
  mock = await startMockServer({ port: 0 });
  dir = mkdtempSync(join(tmpdir(), 'wrk-test-'));
});
afterAll(async () => {
  await mock?.close();
  rmSync(dir, { recursive: true, force: true });
});

const load = (options: Record<string, unknown>) => wrkLoad({ url: mock.url, path: '/socialize.notifyLogin', seconds: 1, connections: 4, ...options });

describe('wrkLoad', () => {
  it('counts every answer with an errorCode other than 0 as bad, and keeps one', async () => {
    const result = await load({ body: 'siteUID=wrk-test-user' });
    expect(result.requests).toBeGreaterThan(0);
    expect(result.bad).toBe(result.requests);
    expect(result.sample).toMatch(/^HTTP 200 .*"errorCode":400002/);
  });

  it('counts no valid answer as bad', async () => {
    const result = await load({ body: `siteUID=wrk-test-user${credentials()}` });
    expect(result.requests).toBeGreaterThan(0);
    expect(result).toMatchObject({ bad: 0, sample: '' });
    expect(result.p99).toBeGreaterThan(0);
  });

  it('sends a file of bodies in turn and says how many it took', async () => {
    const file = join(dir, 'bodies.txt');
    writeFileSync(file, ['one', 'two', 'three'].map((name) => `siteUID=wrk-${name}${credentials()}`).join('\n'));
    const result = await load({ bodiesFile: file, start: 1 });
    expect(result.bad).toBe(0);
    // Every answered request took a body; a few more may have been taken for requests still in flight
    // when wrk stopped. That is about one per connection, but a run on 2026-12-02 took one past that
    // (10,458 bodies for 10,453 answers on 4 connections), so the bound is twice the connections.
    expect(result.taken).toBeGreaterThanOrEqual(result.requests);
    expect(result.taken).toBeLessThanOrEqual(result.requests + 8);
  });

  it('refuses a duration that is not whole seconds, naming it', () => {
    expect(() => load({ body: 'x', seconds: 1.5 })).toThrow(/seconds must be a whole number/);
  });
});
