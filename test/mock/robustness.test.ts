// Bad input at the byte level, over raw node:net sockets against the real server (startMockServer on
// port 0): bodies over the limit (about 1 MB) with and without Content-Length, malformed percent-encoding,
// invalid JSON in a JSON field, bytes that are not UTF-8, a truncated body, clients that stall in the
// headers or in the body. Each gets an answer in Gigya's shape (HTTP 200, an ErrorResponse naming what is
// wrong) or a closed connection, never a crash; and after each the server still answers a valid request.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pointerOf, validatorAt } from '../contract/contract-helpers.js';
import { startMockServer, type MockServer } from '../../src/mock/index.js';
import { exchange, head, type Exchange } from './raw-http.js';

const MB = 1024 * 1024;
const isErrorResponse = validatorAt(pointerOf('components', 'schemas', 'ErrorResponse'));

let mock: MockServer;
let port: number;

beforeAll(async () => {
  // The accounts the valid calls below name (a UID the mock does not know is refused: 403005).
  mock = await startMockServer({ port: 0, accounts: [{ gigyaUID: '_gid_afterwards' }, { gigyaUID: '_gid_big' }] });
  port = Number(new URL(mock.url).port);
});
afterAll(async () => {
  await mock?.close();
});

const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
const credentials = () => ({ apiKey: mock.apiKey, secret: mock.secret });

/** A complete form POST as raw bytes. */
function post(path: string, body: Buffer | string, extra: Record<string, string | number> = {}): Buffer[] {
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  return [
    Buffer.from(head('POST', path, { 'Content-Type': 'application/x-www-form-urlencoded', 'Content-Length': bytes.length, ...extra }), 'latin1'),
    bytes,
  ];
}

/** The answer must be Gigya's: HTTP 200 and an ErrorResponse whose errorDetails names `names` (any of them). */
function expectGigyaError(result: Exchange, names: string[], codes?: number[]): Record<string, any> {
  const text = result.received.toString('utf8').slice(0, 2000);
  expect(result.response, `a complete HTTP answer; got: ${text}`).toBeDefined();
  const { status, headers, body } = result.response!;
  expect(status, text).toBe(200);
  expect(headers['content-type'], text).toMatch(/^application\/json/);
  const json = JSON.parse(body.toString('utf8'));
  expect(isErrorResponse(json), `${JSON.stringify(isErrorResponse.errors)}\n${text}`).toBe(true);
  expect(json.errorCode).not.toBe(0);
  if (codes) expect(codes, text).toContain(json.errorCode);
  expect(
    names.some((name) => String(json.errorDetails).includes(name)),
    `errorDetails names one of ${names.join(', ')}: ${json.errorDetails}`,
  ).toBe(true);
  // The secret of the request is never repeated back.
  expect(body.toString('utf8')).not.toContain(mock.secret);
  return json;
}

/** Either a Gigya-shaped error or a closed connection; never silence, never something else. */
function expectGigyaErrorOrClosed(result: Exchange): void {
  if (result.response) {
    const json = JSON.parse(result.response.body.toString('utf8'));
    expect(result.response.status).toBe(200);
    expect(isErrorResponse(json), JSON.stringify(json)).toBe(true);
  } else {
    expect(result.closed, `the server neither answered nor closed within the wait: ${result.received.toString('utf8')}`).toBe(true);
  }
}

/** After each case: a valid call on a fresh connection still succeeds. */
async function expectStillServes(): Promise<void> {
  const result = await exchange(port, post('/socialize.setUID', form({ ...credentials(), UID: '_gid_afterwards', siteUID: 'site-user-after' })));
  expect(result.response?.status, result.received.toString('utf8')).toBe(200);
  expect(JSON.parse(result.response!.body.toString('utf8')).errorCode).toBe(0);
}

/** A body of `total` bytes produced lazily in 64 kB pieces: a valid form followed by an unknown field. */
function* bigBody(total: number): Generator<Buffer> {
  const start = Buffer.from(`${form({ ...credentials(), UID: '_gid_big', siteUID: 'site-user-big' })}&padding=`, 'latin1');
  yield start;
  const piece = Buffer.alloc(64 * 1024, 'a');
  for (let left = total - start.length; left > 0; left -= piece.length) yield left >= piece.length ? piece : piece.subarray(0, left);
}

function* chunked(pieces: Iterable<Buffer>): Generator<Buffer> {
  for (const piece of pieces) yield Buffer.concat([Buffer.from(`${piece.length.toString(16)}\r\n`), piece, Buffer.from('\r\n')]);
  yield Buffer.from('0\r\n\r\n');
}

describe('bodies over the limit (about 1 MB) are refused without being read to the end', () => {
  const declared = 32 * MB;

  it('with a Content-Length of 32 MB: refused early, long before the body is sent', { timeout: 30_000 }, async () => {
    const headers = { 'Content-Type': 'application/x-www-form-urlencoded', 'Content-Length': declared };
    const result = await exchange(port, [Buffer.from(head('POST', '/socialize.setUID', headers)), ...bigBody(declared)], { timeoutMs: 20_000 });
    expect(result.sent, 'the server stopped the upload well before its end').toBeLessThan(declared / 2);
    expectGigyaErrorOrClosed(result);
    await expectStillServes();
  });

  it('chunked, without Content-Length: refused once past the limit, long before the body ends', { timeout: 30_000 }, async () => {
    const headers = { 'Content-Type': 'application/x-www-form-urlencoded', 'Transfer-Encoding': 'chunked' };
    const result = await exchange(port, [Buffer.from(head('POST', '/socialize.setUID', headers)), ...chunked(bigBody(declared))], {
      timeoutMs: 20_000,
    });
    expect(result.sent, 'the server stopped the upload well before its end').toBeLessThan(declared / 2);
    expectGigyaErrorOrClosed(result);
    await expectStillServes();
  });

  it("a complete body just over the limit gets Gigya's error", { timeout: 30_000 }, async () => {
    const body = Buffer.concat([...bigBody(Math.round(1.5 * MB))]);
    const result = await exchange(port, post('/socialize.setUID', body), { timeoutMs: 20_000 });
    expectGigyaErrorOrClosed(result);
    await expectStillServes();
  });

  it('a body well under the limit (600 kB) is served normally', { timeout: 30_000 }, async () => {
    const body = Buffer.concat([...bigBody(600 * 1024)]);
    const result = await exchange(port, post('/socialize.setUID', body));
    expect(result.response?.status, result.received.toString('utf8').slice(0, 500)).toBe(200);
    const json = JSON.parse(result.response!.body.toString('utf8'));
    expect(json.errorCode, JSON.stringify(json).slice(0, 500)).toBe(0);
  });
});

describe("malformed form text gets Gigya's error naming the field", () => {
  it('malformed percent-encoding in a body value', async () => {
    const body = `${form(credentials())}&UID=_gid_x&siteUID=%E0%A4%A`;
    expectGigyaError(await exchange(port, post('/socialize.setUID', body)), ['siteUID'], [400004, 400006]);
    await expectStillServes();
  });

  it('malformed percent-encoding in a body name', async () => {
    const body = `${form(credentials())}&UID=_gid_x&siteUID=ok&bad%zzname=1`;
    expectGigyaErrorOrClosed(await exchange(port, post('/socialize.setUID', body)));
    await expectStillServes();
  });

  it('malformed percent-encoding in the query of the login redirect', async () => {
    const query = `x_provider=facebook&client_id=${mock.apiKey}&redirect_uri=https%3A%2F%2Fexample.com%2Fdone&response_type=token&state=%zz`;
    expectGigyaError(await exchange(port, [head('GET', `/socialize.login?${query}`)]), ['state'], [400004, 400006]);
    await expectStillServes();
  });

  it('invalid JSON in a JSON field (userInfo, providerSessions)', async () => {
    const userInfo = `${form({ ...credentials(), siteUID: 'site-user-42' })}&userInfo=${encodeURIComponent('{"firstName": "Ann",')}`;
    expectGigyaError(await exchange(port, post('/socialize.notifyLogin', userInfo)), ['userInfo'], [400004, 400006]);
    const sessions = `${form(credentials())}&providerSessions=${encodeURIComponent('facebook: token')}`;
    expectGigyaError(await exchange(port, post('/socialize.notifyLogin', sessions)), ['providerSessions'], [400004, 400006]);
    await expectStillServes();
  });

  it('bytes that are not UTF-8, raw and percent-encoded', async () => {
    const raw = Buffer.concat([Buffer.from(`${form({ ...credentials(), UID: '_gid_x' })}&siteUID=site`), Buffer.from([0xff, 0xfe, 0xc3, 0x28])]);
    expectGigyaError(await exchange(port, post('/socialize.setUID', raw)), ['siteUID'], [400004, 400006]);
    const encoded = `${form({ ...credentials(), UID: '_gid_x' })}&siteUID=site%C3%28%FF`;
    expectGigyaError(await exchange(port, post('/socialize.setUID', encoded)), ['siteUID'], [400004, 400006]);
    await expectStillServes();
  });
});

describe('clients that stop in the middle', () => {
  it('a truncated body (Content-Length larger than what is sent, then half-close)', { timeout: 30_000 }, async () => {
    const body = form({ ...credentials(), UID: '_gid_x', siteUID: 'site-user-1' });
    const headers = { 'Content-Type': 'application/x-www-form-urlencoded', 'Content-Length': body.length + 100 };
    const result = await exchange(port, [head('POST', '/socialize.setUID', headers), body], { end: true, timeoutMs: 20_000 });
    expectGigyaErrorOrClosed(result);
    await expectStillServes();
  });

  // Both stalls wait for the server's own timeout, so they run side by side.
  it('clients that stall in the middle of the headers or of the body are cut off', { timeout: 120_000 }, async () => {
    const [inHeaders, inBody] = await Promise.all([
      exchange(port, ['POST /socialize.setUID HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: applic'], { timeoutMs: 90_000 }),
      exchange(
        port,
        [
          head('POST', '/socialize.setUID', { 'Content-Type': 'application/x-www-form-urlencoded', 'Content-Length': 500 }),
          `apiKey=${mock.apiKey}&si`,
        ],
        {
          timeoutMs: 90_000,
        },
      ),
    ]);
    expectGigyaErrorOrClosed(inHeaders);
    expectGigyaErrorOrClosed(inBody);
    await expectStillServes();
  });

  it('while one client stalls, others are served', { timeout: 30_000 }, async () => {
    const stalled = exchange(port, ['POST /socialize.setUID HTTP/1.1\r\nHost: 127.0.0.1\r\n'], { timeoutMs: 2_000 });
    await expectStillServes();
    await stalled;
  });
});
