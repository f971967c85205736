// The calls' deadlines, which share one timer (src/answer.ts): each call is stopped at its own deadline and
// never before it, whatever the other calls' deadlines are, and the timer keeps a process alive only while
// a call waits. The verdicts are orders and lower bounds ("not before its deadline"), never "fast enough".
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect, test } from 'vitest';
import { createSocializeClient, GigyaTransportError } from '../../src/index.js';

const never = () => new Promise<Response>(() => {});
const client = createSocializeClient({
  apiKey: '3_deadlines',
  baseUrl: 'https://socialize.example.test',
  credentials: { secret: 'AAECAwQFBgcICQoLDA0ODw==' },
  fetch: never,
});

// Starts a call that never gets an answer; resolves with how it settled and when (ms after its start).
function timed(timeout: number | false, signal?: AbortSignal) {
  const started = performance.now();
  const outcome = { settled: false, reason: undefined as unknown, after: Number.NaN };
  const done = client.notifyLogin({ siteUID: 'site-user-42' }, signal ? { timeout, signal } : { timeout }).catch((error: unknown) => {
    outcome.settled = true;
    outcome.reason = error instanceof GigyaTransportError ? error.reason : error;
    outcome.after = performance.now() - started;
  });
  return { outcome, done };
}

test('concurrent calls each stop at their own deadline, not before it, in deadline order', async () => {
  const order: number[] = [];
  const limits = [240, 60, 150, 60, 400];
  const calls = limits.map((limit, i) => {
    const call = timed(limit);
    call.done.then(() => order.push(i));
    return call;
  });
  const unbounded = timed(false);
  await Promise.all(calls.map((c) => c.done));
  for (const [i, { outcome }] of calls.entries()) {
    expect(outcome.reason, `call ${i}`).toBe('timeout');
    expect(outcome.after, `call ${i}`).toBeGreaterThanOrEqual(limits[i]!);
  }
  expect(order.map((i) => limits[i])).toEqual([...limits].sort((a, b) => a - b));
  expect(unbounded.outcome.settled).toBe(false);
});

test('a call made after the others have ended, with a shorter deadline than the armed timer, still stops in time', async () => {
  await timed(50).done; // leaves the shared timer idle
  // Arms it for 10 minutes: far beyond any stall of a busy machine, so the long call cannot be due yet; it
  // is ended by its signal instead.
  const stopLong = new AbortController();
  const long = timed(600_000, stopLong.signal);
  const short = timed(80); // must re-arm it earlier
  await short.done;
  expect(short.outcome).toMatchObject({ settled: true, reason: 'timeout' });
  expect(short.outcome.after).toBeGreaterThanOrEqual(80);
  expect(long.outcome.settled).toBe(false);
  stopLong.abort();
  await long.done;
  expect(long.outcome.reason).toBe('aborted');
}, 20_000);

test('deadlines that fall due together, as after a stalled event loop, stop their calls earliest first', async () => {
  const order: number[] = [];
  const limits = [90, 30, 60];
  const calls = limits.map((limit, i) => {
    const call = timed(limit);
    call.done.then(() => order.push(i));
    return call;
  });
  // Busy until every deadline has passed, so that the shared timer finds all three due at once.
  const until = performance.now() + 120;
  while (performance.now() < until) {}
  await Promise.all(calls.map((c) => c.done));
  expect(order.map((i) => limits[i])).toEqual([30, 60, 90]);
});

const run = (mode: string) =>
  promisify(execFile)(process.execPath, [fileURLToPath(new URL('./fixtures/deadline-liveness.mjs', import.meta.url)), mode], {
    cwd: fileURLToPath(new URL('.', import.meta.url)),
    timeout: 25_000, // below the 30 s default deadline that would otherwise hold the "done" process open
    encoding: 'utf8',
  });

test('a waiting call keeps the process alive until its deadline stops it', async () => {
  expect((await run('pending')).stdout).toBe('rejected timeout\n');
}, 30_000);

test('once no call waits, the shared timer does not hold the process open', async () => {
  expect((await run('done')).stdout).toBe('resolved\n');
}, 30_000);
