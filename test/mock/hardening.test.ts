// The defects an attack run found in the mock (issue 11), each held here against the real server
// (startMockServer on port 0, raw sockets where an HTTP client would not send the request): silent
// connections are closed and cannot lock a client out, the parameter count and the ignoredParams echo are
// capped, deep JSON is refused naming the field, a request without Host gets Gigya's envelope; and the
// choices of the same issue: CORS for `Origin: null` and for the control prefix, trusted login domains,
// the /docs hint.
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startMockServer, type MockServer } from '../../src/mock/index.js';
import { PARAMETER_LIMIT, JSON_DEPTH_LIMIT } from '../../src/mock/form.js';
import { IGNORED_PARAMS_LISTED } from '../../src/mock/validators.js';
import { NONCE_LIMIT, NonceStore, SIGNED_REQUEST_WINDOW_SECONDS } from '../../src/mock/credentials.js';
import { call, expectConforms, expectError, post } from './mock-helpers.js';
import { exchange, parseResponse } from './raw-http.js';

let mock: MockServer;
const server = (fields: Record<string, string>) => ({ apiKey: mock.apiKey, secret: mock.secret, ...fields });

// The account the valid calls below name (a UID the mock does not know is refused: 403005).
const ACCOUNTS = [{ gigyaUID: '_gid_u' }];

beforeAll(async () => {
  mock = await startMockServer({ port: 0, accounts: ACCOUNTS });
});
afterAll(async () => {
  await mock?.close();
});

/** Opens a TCP connection that never sends a byte; resolves once connected. */
function silent(port: number): Promise<{ socket: Socket; closed: Promise<void> }> {
  return new Promise((resolve, reject) => {
    const socket = connect({ port, host: '127.0.0.1' });
    const closed = new Promise<void>((r) => socket.once('close', () => r()));
    socket.on('error', () => {});
    socket.once('connect', () => resolve({ socket, closed }));
    socket.once('error', reject);
  });
}

/** Waits for a promise, failing with `what` if it has not settled within a generous bound. */
async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const bound = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`not within ${ms} ms: ${what}`)), ms)));
  try {
    return await Promise.race([promise, bound]);
  } finally {
    clearTimeout(timer);
  }
}

describe('silent connections', () => {
  test('a connection that never sends a byte is closed once it has idled for idleTimeout', async () => {
    const idle = await startMockServer({ port: 0, idleTimeout: 300 });
    try {
      const { closed } = await silent(Number(new URL(idle.url).port));
      await within(closed, 15_000, 'the server closes the silent connection');
      expect(idle.connections.closed.idle).toBeGreaterThanOrEqual(1);
    } finally {
      await idle.close();
    }
  });

  // The guard's books: a connection counts as busy from a request's arrival until its answer is finished,
  // so the idle sweep spares one waiting for a slow answer and closes one that has been answered.
  test('a keep-alive connection is kept while its answer is pending and closed once it idles after it', async () => {
    const slow = await startMockServer({ port: 0, idleTimeout: 300, delay: 1_200, accounts: ACCOUNTS });
    try {
      const socket = (await silent(Number(new URL(slow.url).port))).socket;
      const closed = new Promise<number>((resolve) => socket.once('close', () => resolve(performance.now())));
      let received = Buffer.alloc(0);
      const answered = new Promise<number>((resolve) =>
        socket.on('data', (chunk: Buffer) => {
          received = Buffer.concat([received, chunk]);
          if (parseResponse(received)) resolve(performance.now());
        }),
      );
      const body = new URLSearchParams({ apiKey: slow.apiKey, secret: slow.secret, UID: '_gid_u', siteUID: 's-busy' }).toString();
      socket.write(
        `POST /socialize.setUID HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${body.length}\r\n\r\n${body}`,
      );
      const first = await within(
        Promise.race([answered.then(() => 'answered'), closed.then(() => 'closed before the answer')]),
        15_000,
        'the delayed answer arrives, or the connection closes',
      );
      expect(first).toBe('answered');
      const answeredAt = await answered;
      expect(JSON.parse(parseResponse(received)!.body.toString('utf8')).errorCode).toBe(0);
      const closedAt = await within(closed, 15_000, 'the server closes the connection once it has idled after the answer');
      expect(closedAt).toBeGreaterThan(answeredAt);
      expect(slow.connections.closed.idle).toBe(1);
    } finally {
      await slow.close();
    }
  });

  test('with the cap full of silent connections, a valid call is still answered (the idlest is closed)', async () => {
    const capped = await startMockServer({ port: 0, maxConnections: 8, idleTimeout: 60_000, accounts: ACCOUNTS });
    const sockets: Socket[] = [];
    try {
      const port = Number(new URL(capped.url).port);
      for (let i = 0; i < 20; i++) sockets.push((await silent(port)).socket);
      const reply = await post(capped.url, 'socialize.setUID', { apiKey: capped.apiKey, secret: capped.secret, UID: '_gid_u', siteUID: 's-1' });
      expect(reply.body.errorCode, reply.text).toBe(0);
      expect(capped.connections.open).toBeLessThanOrEqual(8);
      expect(capped.connections.closed.evicted).toBeGreaterThanOrEqual(12);
    } finally {
      for (const socket of sockets) socket.destroy();
      await capped.close();
    }
  });
});

describe('bounded parameters', () => {
  test(`more than ${PARAMETER_LIMIT} parameters: 400001, refused before anything else`, async () => {
    const fields: Record<string, string> = server({ UID: '_gid_u', siteUID: 's' });
    for (let i = 0; Object.keys(fields).length <= PARAMETER_LIMIT; i++) fields[`unknown${i}`] = 'x';
    const reply = await post(mock.url, 'socialize.setUID', fields);
    expectError(reply, '/socialize.setUID', 400001, `more than ${PARAMETER_LIMIT} parameters`);
    // The same in the query.
    const query = Object.fromEntries(Array.from({ length: PARAMETER_LIMIT + 1 }, (_, i) => [`q${i}`, '1']));
    const viaQuery = await call(mock.url, '/socialize.setUID', { method: 'POST', body: server({ UID: '_gid_u', siteUID: 's' }), query });
    expect(viaQuery.body.errorCode).toBe(400001);
  });

  test(`the ignoredParams echo lists at most ${IGNORED_PARAMS_LISTED} names, each cut to 100 characters`, async () => {
    const fields: Record<string, string> = server({ UID: '_gid_u', siteUID: 's' });
    const long = 'n'.repeat(6_000); // 150 of them: about 900 kB, under the body limit
    for (let i = 0; i < 150; i++) fields[`${long}${i}`] = 'x';
    const body = new URLSearchParams(fields).toString();
    const reply = await post(mock.url, 'socialize.setUID', fields);
    expectConforms(reply, '/socialize.setUID');
    expect(reply.body.errorCode).toBe(0);
    expect(reply.body.ignoredParams).toHaveLength(IGNORED_PARAMS_LISTED);
    expect(reply.body.ignoredParams.at(-1).message).toContain(`${150 - IGNORED_PARAMS_LISTED} more`);
    for (const entry of reply.body.ignoredParams) expect(entry.paramName.length).toBeLessThanOrEqual(101);
    expect(reply.text.length, 'the answer is small next to the request').toBeLessThan(body.length / 100);
    const refused = await post(mock.url, 'socialize.setUID', { ...fields, checkParams: 'true' });
    expect(refused.body.errorCode).toBe(403007);
    expect(refused.text.length).toBeLessThan(10_000);
  });
});

describe('deep JSON', () => {
  const nested = (depth: number) => `${'['.repeat(depth)}"token"${']'.repeat(depth)}`;

  test(`a providerSessions member nested 4,112 levels deep gets 400006 naming the field, not 500001`, async () => {
    const providerSessions = `{"facebook":{"authToken":"t","deep":${nested(4_112)}}}`;
    const reply = await post(mock.url, 'socialize.notifyLogin', server({ providerSessions }));
    expectError(reply, '/socialize.notifyLogin', 400006, 'providerSessions', `deeper than ${JSON_DEPTH_LIMIT}`);
  });

  test('userInfo too; brackets inside strings do not count, and shallow JSON still works', async () => {
    const deep = await post(mock.url, 'socialize.notifyLogin', server({ siteUID: 's', userInfo: `{"firstName":"A","x":${nested(100)}}` }));
    expectError(deep, '/socialize.notifyLogin', 400006, 'userInfo');
    const quoted = await post(mock.url, 'socialize.notifyLogin', server({ siteUID: 's', userInfo: JSON.stringify({ firstName: '['.repeat(500) }) }));
    expect(quoted.body.errorCode, quoted.text).toBe(0);
  });
});

describe('HTTP edge cases', () => {
  test('a request without a Host header gets the envelope (400001 naming Host), not a bare 400', async () => {
    const body = new URLSearchParams(server({ UID: '_gid_u', siteUID: 's' })).toString();
    const raw = `POST /socialize.setUID HTTP/1.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${body.length}\r\n\r\n${body}`;
    const result = await exchange(Number(new URL(mock.url).port), [raw]);
    expect(result.response?.status, result.received.toString()).toBe(200);
    const json = JSON.parse(result.response!.body.toString());
    expect(json).toMatchObject({ errorCode: 400001, statusCode: 400 });
    expect(json.errorDetails).toContain('Host');
  });

  test('CORS: any Origin is echoed with credentials, but `Origin: null` gets `*` without credentials', async () => {
    const page = await post(mock.url, 'socialize.setUID', server({ UID: '_gid_u', siteUID: 's' }), { headers: { origin: 'http://localhost:5173' } });
    expect(page.headers['access-control-allow-origin']).toBe('http://localhost:5173');
    expect(page.headers['access-control-allow-credentials']).toBe('true');
    const sandboxed = await post(mock.url, 'socialize.setUID', server({ UID: '_gid_u', siteUID: 's' }), { headers: { origin: 'null' } });
    expect(sandboxed.headers['access-control-allow-origin']).toBe('*');
    expect(sandboxed.headers['access-control-allow-credentials']).toBeUndefined();
  });

  test('control endpoints (/__mock/…): no CORS headers, and a cross-origin request is refused with 403000', async () => {
    const preflight = await call(mock.url, '/__mock/reset', {
      method: 'OPTIONS',
      headers: { origin: 'http://localhost:5173', 'access-control-request-method': 'POST' },
    });
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
    const crossOrigin: Record<string, string>[] = [{ origin: 'http://localhost:5173' }, { origin: 'null' }, { 'sec-fetch-site': 'cross-site' }];
    for (const headers of crossOrigin) {
      const refused = await call(mock.url, '/__mock/reset', { method: 'POST', body: 'x=1', headers });
      expect(refused.body.errorCode, JSON.stringify(headers)).toBe(403000);
      expect(refused.headers['access-control-allow-origin']).toBeUndefined();
    }
    // From the mock's own origin, or from a tool that sends no Origin, the request goes through (no such
    // endpoint exists yet: 404000).
    const own = await call(mock.url, '/__mock/reset', { method: 'POST', body: 'x=1', headers: { origin: mock.url } });
    expect(own.body.errorCode).toBe(404000);
    expect((await call(mock.url, '/__mock/reset', { method: 'POST', body: 'x=1' })).body.errorCode).toBe(404000);
  });

  test('/docs on a mock started without docs says how to get them', async () => {
    const reply = await call(mock.url, '/docs');
    expect(reply.body.errorCode).toBe(404000);
    expect(reply.body.errorDetails).toMatch(/--docs/);
    expect(reply.body.errorDetails).toMatch(/npm start/);
  });
});

describe('trusted login domains', () => {
  const login = (base: string, redirect_uri: string) =>
    call(base, '/socialize.login', { query: { x_provider: 'facebook', client_id: mock.apiKey, redirect_uri, response_type: 'token' } });

  test('with trustedDomains, a redirect_uri elsewhere gets 400011; the domain, its subdomains and loopback pass', async () => {
    const strict = await startMockServer({ port: 0, trustedDomains: ['app.example.com'] });
    try {
      const refused = await login(strict.url, 'https://attacker.example.net/steal');
      expectError(refused, '/socialize.login', 400011, 'attacker.example.net', 'app.example.com');
      expect((await login(strict.url, 'https://evilapp.example.com/x')).body.errorCode).toBe(400011);
      for (const allowed of [
        'https://app.example.com/done',
        'https://eu.app.example.com/done',
        'http://127.0.0.1:5173/cb',
        'http://localhost:3000/cb',
        'http://front.localhost/cb',
      ]) {
        const reply = await login(strict.url, allowed);
        expect(reply.status, `${allowed}: ${reply.text}`).toBe(302);
        expect(reply.headers.location?.startsWith(allowed)).toBe(true);
      }
    } finally {
      await strict.close();
    }
  });

  test('without the option any host is accepted (the test site registers none); a bad list is refused', async () => {
    expect((await login(mock.url, 'https://attacker.example.net/x')).status).toBe(302);
    await expect(startMockServer({ port: 0, trustedDomains: ['not a domain'] })).rejects.toThrow(/trustedDomains/);
    await expect(startMockServer({ port: 0, trustedDomains: [] })).rejects.toThrow(/trustedDomains/);
  });
});

describe('the nonce store', () => {
  test('keeps a nonce exactly while its timestamp is inside the window, whatever order timestamps come in', () => {
    const store = new NonceStore(3);
    const t = 1_800_000_000;
    const at = (seconds: number) => seconds * 1000;
    expect(store.add('future', t + SIGNED_REQUEST_WINDOW_SECONDS, at(t))).toBe('ok'); // dated a full window ahead
    expect(store.add('now', t, at(t))).toBe('ok');
    expect(store.add('now', t, at(t + 1))).toBe('duplicate');
    expect(store.add('third', t, at(t))).toBe('ok');
    expect(store.add('fourth', t, at(t)), 'the cap').toBe('full');
    // One second past the window of `now` and `third`: both forgotten (a replay is stale by then), `future` kept.
    expect(store.add('fourth', t, at(t + SIGNED_REQUEST_WINDOW_SECONDS + 1))).toBe('ok');
    expect(store.size).toBe(2);
    expect(store.add('future', t + SIGNED_REQUEST_WINDOW_SECONDS, at(t + SIGNED_REQUEST_WINDOW_SECONDS + 1))).toBe('duplicate');
  });

  test(`sized for a sustained signed load: ${NONCE_LIMIT} nonces, at least 8,000 signed requests a second for the window`, () => {
    expect(NONCE_LIMIT).toBeGreaterThanOrEqual(8_000 * SIGNED_REQUEST_WINDOW_SECONDS);
  });
});
