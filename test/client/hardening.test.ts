// The client against a hostile loopback server (test/helpers/hostile-server.ts): a body that stalls or
// never ends after the headers, answers larger than the client's cap, and error envelopes that
// echo the request (secret included) at great length. Redirects: client-http.test.ts.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createSocializeClient, GigyaError, GigyaTransportError } from '../../src/index.js';
import { failure, startHostileServer, type HostileServer } from '../helpers/hostile-server.js';

const SECRET = 'AAECAwQFBgcICQoLDA0ODw==';
const CAP = 4 * 1024 * 1024; // the client's documented answer cap

let hostile: HostileServer;
let baseUrl: string;
beforeAll(async () => {
  hostile = await startHostileServer();
  baseUrl = hostile.baseUrl;
});
afterAll(() => hostile.close());

const client = (behaviour: string, timeout: number | false = 30_000) =>
  createSocializeClient({ apiKey: '3_hostile', baseUrl: `${baseUrl}/${behaviour}`, credentials: { secret: SECRET }, timeout });

// Runs the child with forced GCs; resolves with what it printed once it exits. The bound is generous and
// only there so that a hang fails the test instead of stalling the suite: the verdict is "settled, as a
// timeout", never "fast enough".
async function callInChild(behaviour: string, timeoutMs: number): Promise<unknown> {
  const script = fileURLToPath(new URL('./fixtures/stalled-body-call.mjs', import.meta.url));
  const child = spawn(process.execPath, ['--expose-gc', script, `${baseUrl}/${behaviour}`, String(timeoutMs)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const bound = setTimeout(() => child.kill('SIGKILL'), 60_000);
  try {
    const [code, signal] = (await once(child, 'exit')) as [number | null, string | null];
    if (signal === 'SIGKILL') throw new Error(`the call never settled (child killed after 60 s); stderr: ${stderr}`);
    if (code !== 0) throw new Error(`child exited with ${code}: ${stderr}`);
    return JSON.parse(stdout);
  } finally {
    clearTimeout(bound);
    if (child.exitCode === null) child.kill('SIGKILL');
  }
}

describe('a call settles by its deadline whatever the body does (forced GC, child process)', () => {
  for (const behaviour of ['stall', 'trickle']) {
    test(`body that ${behaviour === 'stall' ? 'stalls after the headers' : 'never ends'}`, { timeout: 90_000 }, async () => {
      const outcomes = await Promise.all([1, 2, 3].map(() => callInChild(behaviour, 300)));
      for (const outcome of outcomes) {
        expect(outcome).toMatchObject({ settled: 'rejected', name: 'GigyaTransportError', reason: 'timeout' });
      }
    });
  }

  test('in process too, with the caller\'s signal', async () => {
    const controller = new AbortController();
    const pending = failure(client('trickle', false).notifyLogin({ siteUID: 'u' }, { signal: controller.signal }));
    setTimeout(() => controller.abort(), 100);
    expect(await pending).toMatchObject({ name: 'GigyaTransportError', reason: 'aborted' });
  });
});

describe('answers are capped at 4 MiB', () => {
  test('an endless body fails naming the cap', async () => {
    const error = await failure(client('flood').notifyLogin({ siteUID: 'u' }));
    expect(error).toBeInstanceOf(GigyaTransportError);
    expect(error).toMatchObject({ reason: 'too-large', status: 200 });
    expect(error.message).toContain(`${CAP} bytes`);
  });

  test('a declared length above the cap fails from the headers alone', async () => {
    const error = await failure(client('huge', false).notifyLogin({ siteUID: 'u' }));
    expect(error).toMatchObject({ reason: 'too-large', status: 200 });
    expect(error.message).toContain(`${CAP} bytes`);
  });

  test('no more than the cap is read from the stream (client alone: a counting body)', async () => {
    let pulled = 0;
    let cancelled = false;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled += 0x10000;
        controller.enqueue(new Uint8Array(0x10000).fill(0x20));
      },
      cancel() {
        cancelled = true;
      },
    });
    const counting = createSocializeClient({
      apiKey: 'k',
      baseUrl: 'https://socialize.example.test',
      fetch: async () => new Response(body, { status: 200, headers: { 'content-type': 'application/json' } }),
    });
    const error = await failure(counting.notifyLogin({ siteUID: 'u', UIDSig: `${'a'.repeat(27)}=`, UIDTimestamp: '1' }));
    expect(error).toMatchObject({ reason: 'too-large' });
    expect(cancelled).toBe(true);
    expect(pulled).toBeLessThanOrEqual(CAP + 4 * 0x10000);
  });
});

describe('an error envelope that echoes the request', () => {
  test('keeps errorMessage and errorDetails as fields, bounded in message, with the secret scrubbed everywhere', async () => {
    const error = (await failure(client('echo').notifyLogin({ siteUID: 'u' }))) as GigyaError;
    expect(error).toBeInstanceOf(GigyaError);
    expect(error.errorCode).toBe(400002);
    const encoded = encodeURIComponent(SECRET);
    for (const text of [error.message, error.errorMessage!, error.errorDetails!, JSON.stringify(error.body), String(error)]) {
      expect(text).not.toContain(SECRET);
      expect(text).not.toContain(encoded);
    }
    expect(error.errorMessage).toContain('Invalid request: ');
    expect(error.errorMessage!.length).toBeGreaterThan(100_000);
    expect(error.errorDetails).toContain('Request was ');
    expect(error.message.length).toBeLessThan(1_000);
    expect(error.message).toContain('Invalid request');
    expect(error.message).toContain('Request was'); // errorDetails too, bounded
  });
});
