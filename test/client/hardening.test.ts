// The client against a hostile loopback server (raw sockets, so that the server can misbehave in ways
// node:http would not): a body that stalls or never ends after the headers, redirects, answers larger than
// the client's cap, and error envelopes that echo the request (secret included) at great length.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createSocializeClient, GigyaError, GigyaTransportError } from '../../src/index.js';

const SECRET = 'AAECAwQFBgcICQoLDA0ODw==';
const CAP = 4 * 1024 * 1024; // the client's documented answer cap

type Behaviour = (socket: Socket, request: string) => void;

function head(status: number, headers: Record<string, string | number>): string {
  const lines = Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`);
  return `HTTP/1.1 ${status} X\r\n${lines.join('')}\r\n`;
}

const behaviours: Record<string, Behaviour> = {
  // Headers, one byte of JSON, then nothing: the connection stays open.
  stall: (socket) => socket.write(`${head(200, { 'content-type': 'application/json', 'content-length': 100 })}{`),
  // Headers, then a chunked body that trickles a space every 20 ms and never ends.
  trickle: (socket) => {
    socket.write(`${head(200, { 'content-type': 'application/json', 'transfer-encoding': 'chunked' })}1\r\n{\r\n`);
    const timer = setInterval(() => socket.write('1\r\n \r\n'), 20);
    socket.on('close', () => clearInterval(timer));
  },
  // An endless chunked body as fast as the socket takes it (64 KiB chunks).
  flood: (socket) => {
    socket.write(`${head(200, { 'content-type': 'application/json', 'transfer-encoding': 'chunked' })}1\r\n[\r\n`);
    const chunk = `10000\r\n${' '.repeat(0x10000)}\r\n`;
    const pump = () => {
      while (!socket.destroyed && socket.write(chunk));
    };
    socket.on('drain', pump);
    pump();
  },
  // A declared length above the cap: refused from the headers alone.
  huge: (socket) => socket.write(`${head(200, { 'content-type': 'application/json', 'content-length': 100 * 1024 * 1024 })}{`),
  redirect: (socket) =>
    socket.end(head(307, { location: 'http://127.0.0.1:1/steal', 'content-length': 0, connection: 'close' })),
  // An error envelope whose message echoes the whole request body, then 100 KB of padding.
  echo: (socket, request) => {
    const body = request.slice(request.indexOf('\r\n\r\n') + 4);
    const answer = JSON.stringify({
      errorCode: 400002,
      errorMessage: `Invalid request: ${body} ${'x'.repeat(100_000)}`,
      errorDetails: `Request was ${decodeURIComponent(body)} ${'y'.repeat(100_000)}`,
      statusCode: 400,
      callId: '0123456789abcdef0123456789abcdef',
    });
    socket.end(head(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(answer), connection: 'close' }) + answer);
  },
};

let server: Server;
let baseUrl: string;
const sockets = new Set<Socket>();

beforeAll(async () => {
  server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    let received = '';
    socket.on('data', (data) => {
      received += data.toString('latin1');
      const end = received.indexOf('\r\n\r\n');
      if (end === -1) return;
      const length = Number(/content-length: *(\d+)/i.exec(received.slice(0, end))?.[1] ?? 0);
      if (received.length < end + 4 + length) return;
      const path = /^POST \/([^/ ]+)\//.exec(received)?.[1] ?? '';
      (behaviours[path] ?? ((s) => s.destroy()))(socket, received);
      received = '';
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  server.close();
});

const client = (behaviour: string, timeout: number | false = 30_000) =>
  createSocializeClient({ apiKey: '3_hostile', baseUrl: `${baseUrl}/${behaviour}`, credentials: { secret: SECRET }, timeout });

async function failure(promise: Promise<unknown>): Promise<Error> {
  const outcome = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(outcome).toBeInstanceOf(Error);
  return outcome as Error;
}

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

test('a redirect is refused, not followed (the body holds the secret)', async () => {
  const error = await failure(client('redirect').notifyLogin({ siteUID: 'u' }));
  expect(error).toBeInstanceOf(GigyaTransportError);
  expect(error).toMatchObject({ reason: 'invalid-response', status: 307 });
  expect(error.message).toMatch(/redirect/);
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
