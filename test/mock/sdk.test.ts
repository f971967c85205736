// Official clients against the mock, unmodified. The npm `gigya` SDK (a devDependency) with a user key and
// its secret, and with the partner secret: it signs `https://socialize.<dc>.gigya.com/<method>` with a
// millisecond timestamp, and here sends through an HTTP proxy, which is the mock (the SDK's own `request`
// library with its `proxy` option, passed in as the SDK's documented HTTP function), so the mock sees the
// absolute form of the request line. SAP's Python and PHP SDKs are not installable from the npm registry;
// their cases are raw requests that send what those SDKs send: booleans as `True`/`False` (Python's
// `str(True)`) and `1`/`0` (PHP's curl, signed as sent), user keys, and the absolute form.
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { signRequest } from '../../src/index.js';
import { startMockServer, type MockServer } from '../../src/mock/index.js';
import { exchange } from './raw-http.js';

const require = createRequire(import.meta.url);
// The SDK's HTTP library, as the SDK itself resolves it.
const request = createRequire(require.resolve('gigya'))('request') as (
  options: Record<string, unknown>,
  done: (error: Error | null, response: { statusCode: number }, body: string) => void,
) => void;
const { Gigya } = require('gigya') as { Gigya: new (...args: unknown[]) => any };

let mock: MockServer;
let port: number;

beforeAll(async () => {
  mock = await startMockServer({ port: 0 });
  port = Number(new URL(mock.url).port);
});
afterAll(() => mock?.close());

/** The SDK's HTTP function, sending through the mock as an HTTP proxy (plain http: no TLS to terminate). */
function viaProxy(seen: string[]) {
  return (endpoint: string, host: string, params: Record<string, unknown>, headers: Record<string, string>) =>
    new Promise((resolve, reject) => {
      const uri = `http://${host}/${endpoint}`;
      seen.push(uri);
      request({ method: 'POST', uri, form: params, headers, proxy: mock.url }, (error, _response, body) => {
        if (error) reject(error);
        else resolve(JSON.parse(body));
      });
    });
}

describe('npm gigya through an HTTP proxy', () => {
  test('with the user key and its secret: signed requests (ms timestamp, https base string) are accepted', async () => {
    const seen: string[] = [];
    const gigya = new Gigya(mock.apiKey, 'us1', viaProxy(seen));
    const creds = { userKey: mock.userKey, secret: mock.userSecret };
    const login = await gigya.socialize.notifyLogin({ ...creds, siteUID: 'sdk-user-1', newUser: true });
    expect(login).toMatchObject({ errorCode: 0, UID: 'sdk-user-1', isNewUser: true });
    await expect(gigya.socialize.setUID({ ...creds, UID: 'sdk-user-1', siteUID: 'sdk-user-2' })).resolves.toMatchObject({ errorCode: 0 });
    expect(seen[0]).toBe('http://socialize.us1.gigya.com/socialize.notifyLogin');
    // The wrong user secret is refused, as Gigya would: the SDK throws its GigyaError.
    const refused = await gigya.socialize
      .setUID({ userKey: mock.userKey, secret: 'AAECAwQFBgcICQoLDA0ODw==', UID: 'sdk-user-2', siteUID: 'sdk-user-3' })
      .catch((e: { errorCode?: number }) => e);
    expect(refused.errorCode).toBe(403003);
    const unknownKey = await gigya.socialize
      .setUID({ userKey: 'ANotAKey', secret: mock.userSecret, UID: 'sdk-user-2', siteUID: 'sdk-user-3' })
      .catch((e: { errorCode?: number }) => e);
    expect(unknownKey.errorCode).toBe(403005);
  });

  test('with the partner secret in the body', async () => {
    const gigya = new Gigya(mock.apiKey, 'eu1', viaProxy([]));
    const answer = await gigya.socialize.notifyLogin({ secret: mock.secret, siteUID: 'sdk-user-partner', targetEnv: 'mobile' });
    expect(answer).toMatchObject({ errorCode: 0, UID: 'sdk-user-partner', sessionInfo: { sessionToken: expect.any(String) } });
  });

  test("an isolated site's own user key works for it and not for the test site", async () => {
    const gigya = new Gigya(mock.apiKey, 'us1', viaProxy([]));
    const created = await new Promise<any>((resolve, reject) =>
      request({ method: 'POST', uri: `${mock.url}/__mock/createSite`, form: {} }, (error, _r, body) =>
        error ? reject(error) : resolve(JSON.parse(body)),
      ),
    );
    const other = new Gigya(created.apiKey, 'us1', viaProxy([]));
    await expect(other.socialize.notifyLogin({ userKey: created.userKey, secret: created.userSecret, siteUID: 'iso-1' })).resolves.toMatchObject({
      errorCode: 0,
    });
    const wrongSite = await gigya.socialize
      .notifyLogin({ userKey: created.userKey, secret: created.userSecret, siteUID: 'iso-1' })
      .catch((e: { errorCode?: number }) => e);
    expect(wrongSite.errorCode).toBe(403005);
  });
});

/** One raw request on its own connection; the JSON answer. */
async function raw(target: string, host: string, fields: Record<string, string>): Promise<Record<string, any>> {
  const body = new URLSearchParams(fields).toString();
  const head = `POST ${target} HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n`;
  const result = await exchange(port, [head, body]);
  expect(result.response?.status, result.received.toString('utf8')).toBe(200);
  return JSON.parse(result.response!.body.toString('utf8'));
}

const nonce = () => `n${Math.random().toString(36).slice(2)}`;
const now = () => String(Math.floor(Date.now() / 1000));

describe('what the Python and PHP SDKs send (raw requests)', () => {
  test('Python: booleans as True/False, the user key and its secret in the body', async () => {
    const answer = await raw('/socialize.notifyLogin', '127.0.0.1', {
      apiKey: mock.apiKey,
      userKey: mock.userKey,
      secret: mock.userSecret,
      siteUID: 'py-user',
      newUser: 'True',
      httpStatusCodes: 'False',
      format: 'json',
    });
    expect(answer).toMatchObject({ errorCode: 0, UID: 'py-user', isNewUser: true });
  });

  test('PHP: a signed request with booleans as 1/0, signed as sent, over the https URL of a Gigya host, sent in absolute form', async () => {
    const params = {
      apiKey: mock.apiKey,
      userKey: mock.userKey,
      siteUID: 'php-user',
      newUser: '1',
      httpStatusCodes: '0',
      timestamp: now(),
      nonce: nonce(),
      format: 'json',
    };
    const url = 'https://socialize.us1.gigya.com/socialize.notifyLogin';
    const sig = await signRequest({ secret: mock.userSecret, method: 'POST', url, params });
    const answer = await raw('http://socialize.us1.gigya.com/socialize.notifyLogin', 'socialize.us1.gigya.com', { ...params, sig });
    expect(answer).toMatchObject({ errorCode: 0, UID: 'php-user', isNewUser: true });
  });

  test('the absolute form is routed like the origin form, and signed for the URL the client addressed', async () => {
    const params = { apiKey: mock.apiKey, UID: '_gid_Maxa3fCszqWc1A1D1HsoHg==', siteUID: 'site-user-42', timestamp: now(), nonce: nonce() };
    const url = 'http://socialize.eu1.gigya.com/socialize.setUID';
    const sig = await signRequest({ secret: mock.secret, method: 'POST', url, params });
    expect(await raw(url, 'socialize.eu1.gigya.com', { ...params, sig })).toMatchObject({ errorCode: 0 });
    // A signature over another host or path does not match.
    const elsewhere = { ...params, nonce: nonce() };
    const sig2 = await signRequest({
      secret: mock.secret,
      method: 'POST',
      url: 'https://socialize.us1.gigya.com/socialize.setUID',
      params: elsewhere,
    });
    const refused = await raw(url, 'socialize.eu1.gigya.com', { ...elsewhere, sig: sig2 });
    expect(refused).toMatchObject({ errorCode: 403003, errorDetails: expect.stringContaining('sig') });
    // An unknown method in absolute form is the client's mistake, not a server error.
    expect(await raw('http://socialize.us1.gigya.com/socialize.getUserInfo', 'socialize.us1.gigya.com', { apiKey: mock.apiKey })).toMatchObject({
      errorCode: 404000,
    });
  });

  test('booleans in spellings no SDK sends are still refused, naming the parameter', async () => {
    for (const text of ['TRUE', 'yes', 'on', '2']) {
      const answer = await raw('/socialize.notifyLogin', '127.0.0.1', {
        apiKey: mock.apiKey,
        secret: mock.secret,
        siteUID: 'py-user',
        newUser: text,
      });
      expect(answer, text).toMatchObject({ errorCode: 400006, errorDetails: expect.stringContaining('newUser') });
    }
  });
});
