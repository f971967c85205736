// The client against a real node:http server on 127.0.0.1 that answers in Gigya's envelope
// (test/helpers/gigya-server.ts): every method, each credential mode, transport failures, and the checks
// made before anything is sent.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  createSocializeClient,
  createUIDSignature,
  GigyaError,
  GigyaTransportError,
  InvalidParameterError,
  type SocializeClient,
} from '../../src/index.js';
import { startGigyaServer, type GigyaServer } from '../helpers/gigya-server.js';
import { failure } from '../helpers/hostile-server.js';
import { clientSuite } from './server-suite.js';

clientSuite('a node:http server in Gigya’s envelope', async () => {
  const server = await startGigyaServer();
  return {
    ...server,
    errorCases: {
      'socialize.setUID': { params: { UID: '_gid_abc', siteUID: 'unauthorized' }, errorCode: 403005 },
      'socialize.notifyRegistration': { params: { UID: '_gid_abc', siteUID: 'unauthorized' }, errorCode: 403005 },
      'socialize.notifyLogin': { params: { siteUID: 'unauthorized' }, errorCode: 403005 },
    },
  };
});

describe('client against the node:http server', () => {
  let server: GigyaServer;
  let client: SocializeClient;
  beforeAll(async () => {
    server = await startGigyaServer();
    client = createSocializeClient({ apiKey: server.apiKey, baseUrl: server.baseUrl, credentials: { secret: server.secret } });
  });
  afterAll(() => server.close());

  test('sends a form POST with apiKey, secret and format=json in the body, nothing in the URL', async () => {
    const before = server.requests.length;
    await client.setUID({ UID: '_gid_abc', siteUID: 'site-user-42' });
    const request = server.requests[before]!;
    expect(request.method).toBe('POST');
    expect(request.path).toBe('/socialize.setUID');
    expect(request.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(request.fields).toEqual({
      UID: '_gid_abc',
      siteUID: 'site-user-42',
      apiKey: server.apiKey,
      format: 'json',
      secret: server.secret,
    });
  });

  test('a user key travels with its secret', async () => {
    const keyed = createSocializeClient({
      apiKey: server.apiKey,
      baseUrl: server.baseUrl,
      credentials: { userKey: server.userKey, secret: server.userSecret },
    });
    const before = server.requests.length;
    await expect(keyed.notifyRegistration({ UID: '_gid_abc' })).resolves.toMatchObject({ errorCode: 0 });
    expect(server.requests[before]!.fields).toMatchObject({ userKey: server.userKey, secret: server.userSecret });
  });

  test('signed requests carry timestamp, nonce and sig, never the secret, and the server verifies them', async () => {
    for (const credentials of [
      { secret: server.secret, sign: true as const },
      { userKey: server.userKey, secret: server.userSecret, sign: true as const },
    ]) {
      const signed = createSocializeClient({ apiKey: server.apiKey, baseUrl: server.baseUrl, credentials });
      const before = server.requests.length;
      await expect(signed.setUID({ UID: '_gid_abc', siteUID: 'site user/42' })).resolves.toMatchObject({ errorCode: 0 });
      await expect(
        signed.notifyLogin({ siteUID: 'x', userInfo: { firstName: 'Zoë', age: 7 }, newUser: false, sessionExpiration: 0 }),
      ).resolves.toMatchObject({ errorCode: 0, UID: 'x' });
      for (const request of server.requests.slice(before)) {
        expect(request.fields.secret).toBeUndefined();
        expect(request.rawBody).not.toContain(encodeURIComponent(credentials.secret));
        expect(request.fields.timestamp).toMatch(/^\d{10}$/);
        expect(Math.abs(Number(request.fields.timestamp) - Date.now() / 1000)).toBeLessThan(5);
        expect(request.fields.sig).toMatch(/^[A-Za-z0-9+/]{27}=$/);
      }
      const [a, b] = server.requests.slice(before);
      expect(a!.fields.nonce).not.toBe(b!.fields.nonce);
    }
  });

  test('a wrong signing secret is refused by the server (so the server really checks)', async () => {
    const wrong = createSocializeClient({
      apiKey: server.apiKey,
      baseUrl: server.baseUrl,
      credentials: { secret: Buffer.from('not the secret').toString('base64'), sign: true },
    });
    const error = await failure(wrong.setUID({ UID: '_gid_abc', siteUID: 's' }));
    expect(error).toBeInstanceOf(GigyaError);
    expect((error as GigyaError).errorCode).toBe(403003);
  });

  test('without credentials, a UIDSig made on the server authenticates the call', async () => {
    const browser = createSocializeClient({ apiKey: server.apiKey, baseUrl: server.baseUrl });
    const signature = await createUIDSignature({ secret: server.secret, siteUID: 'site-user-42' });
    const before = server.requests.length;
    await expect(browser.notifyLogin({ siteUID: 'site-user-42', ...signature })).resolves.toMatchObject({ errorCode: 0 });
    expect(server.requests[before]!.fields).toEqual({
      siteUID: 'site-user-42',
      UIDSig: signature.UIDSig,
      UIDTimestamp: signature.UIDTimestamp,
      apiKey: server.apiKey,
      format: 'json',
    });
  });

  test('httpStatusCodes=true: the error envelope arrives with HTTP 403 and still becomes a GigyaError', async () => {
    const error = await failure(client.setUID({ UID: '_gid_abc', siteUID: 'unauthorized', httpStatusCodes: true }));
    expect(error).toBeInstanceOf(GigyaError);
    expect(error).toMatchObject({ errorCode: 403005, statusCode: 403, method: 'socialize.setUID' });
  });

  test('middleware registered on raw sees a real Request for the typed methods too', async () => {
    const own = createSocializeClient({ apiKey: server.apiKey, baseUrl: server.baseUrl, credentials: { secret: server.secret } });
    await expect(own.setUID({ UID: '_gid_abc', siteUID: 's' })).resolves.toMatchObject({ errorCode: 0 });
    const seen: unknown[] = [];
    own.raw.use({
      onRequest({ request }) {
        seen.push(request);
        request.headers.set('x-from-middleware', '1');
        return request;
      },
    });
    const before = server.requests.length;
    await expect(own.setUID({ UID: '_gid_abc', siteUID: 's' })).resolves.toMatchObject({ errorCode: 0 });
    expect(seen[0]).toBeInstanceOf(Request);
    expect(server.requests[before]!.headers['x-from-middleware']).toBe('1');
    expect(server.requests[before]!.fields).toMatchObject({ siteUID: 's', secret: server.secret });
  });

  test('notifyLogin with targetEnv=mobile resolves with session token and secret', async () => {
    const answer = await client.notifyLogin({ siteUID: 'site-user-42', targetEnv: 'mobile' });
    expect(answer.sessionToken).toBe('st2.token');
    expect(typeof answer.sessionSecret).toBe('string');
  });

  describe('transport failures become GigyaTransportError, keeping the cause', () => {
    const call = (behaviour: string, options: { timeout?: number; signal?: AbortSignal } = {}) =>
      failure(client.setUID({ UID: '_gid_abc', siteUID: 's' }, { ...options, headers: { 'x-test-behaviour': behaviour } }));

    test('an HTML error page', async () => {
      const error = await call('html');
      expect(error).toBeInstanceOf(GigyaTransportError);
      expect(error).toMatchObject({ reason: 'invalid-response', status: 502, method: 'socialize.setUID' });
    });

    test('a 200 that is not JSON keeps the parse error as its cause', async () => {
      const error = await call('text');
      expect(error).toMatchObject({ reason: 'invalid-response', status: 200 });
      expect(error.cause).toBeInstanceOf(SyntaxError);
    });

    test('JSON that is not an envelope, and an empty body', async () => {
      await expect(call('not-envelope')).resolves.toMatchObject({ reason: 'invalid-response', status: 200 });
      await expect(call('empty')).resolves.toMatchObject({ reason: 'invalid-response', status: 200 });
    });

    test('a timeout', async () => {
      const error = await call('slow', { timeout: 100 });
      expect(error).toBeInstanceOf(GigyaTransportError);
      expect(error).toMatchObject({ reason: 'timeout' });
      expect(error.cause).toBeDefined();
    });

    test('an abort', async () => {
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 50);
      await expect(call('slow', { signal: controller.signal })).resolves.toMatchObject({ reason: 'aborted' });
      await expect(call('slow', { signal: AbortSignal.abort() })).resolves.toMatchObject({ reason: 'aborted' });
    });

    test('a redirect is refused rather than replaying the body (which holds the secret)', async () => {
      const before = server.requests.length;
      const error = await call('redirect');
      expect(error).toBeInstanceOf(GigyaTransportError);
      expect(error).toMatchObject({ reason: 'invalid-response', status: 307 });
      expect(error.message).toMatch(/redirect \(HTTP 3\d\d\) is refused/);
      expect(server.requests.length).toBe(before + 1);
    });

    test('nobody listening', async () => {
      const closed = await startGigyaServer();
      await closed.close();
      const orphan = createSocializeClient({ apiKey: 'k', baseUrl: closed.baseUrl, credentials: { secret: server.secret } });
      const error = await failure(orphan.setUID({ UID: 'u', siteUID: 's' }));
      expect(error).toBeInstanceOf(GigyaTransportError);
      expect(error).toMatchObject({ reason: 'network' });
      expect(error.cause).toBeInstanceOf(Error);
      expect(error.message).not.toContain(server.secret);
    });
  });

  describe('nothing invalid goes out', () => {
    const sig = 'jNQkbuGO6L9nVa0Nt9T6aPlosYQ=';
    const cases: Array<[string, () => Promise<unknown>, string]> = [
      ['siteUID longer than 252', () => client.setUID({ UID: 'u', siteUID: 'x'.repeat(253) }), 'siteUID'],
      ['siteUID not ASCII', () => client.notifyRegistration({ UID: 'u', siteUID: 'José' }), 'siteUID'],
      ['cid longer than 100', () => client.notifyRegistration({ UID: 'u', cid: 'c'.repeat(101) }), 'cid'],
      ['UIDSig without UIDTimestamp', () => client.setUID({ UID: 'u', siteUID: 's', UIDSig: sig }), 'UIDTimestamp'],
      ['UIDTimestamp without UIDSig', () => client.notifyRegistration({ UID: 'u', UIDTimestamp: '1700000000' }), 'UIDSig'],
      [
        'UIDTimestamp in milliseconds',
        () => client.notifyLogin({ siteUID: 's', UIDSig: sig, UIDTimestamp: String(Date.now()) }),
        'UIDTimestamp',
      ],
      ['UIDSig that is not an HMAC-SHA1 value', () => client.setUID({ UID: 'u', siteUID: 's', UIDSig: 'abc', UIDTimestamp: '1' }), 'UIDSig'],
      ['neither siteUID nor providerSessions', () => client.notifyLogin({} as never), 'siteUID'],
      ['empty providerSessions', () => client.notifyLogin({ providerSessions: {} }), 'providerSessions'],
      [
        'thumbnailURL without photoURL',
        () => client.notifyLogin({ siteUID: 's', userInfo: { thumbnailURL: 'https://x.test/t.png' } }),
        'userInfo.photoURL',
      ],
      ['UID missing on an authenticated setUID', () => client.setUID({ siteUID: 's' }), 'UID'],
      ['a client-filled parameter', () => client.setUID({ UID: 'u', siteUID: 's', secret: 'AAAA' } as never), 'secret'],
      ['a value that cannot be encoded', () => client.notifyLogin({ siteUID: 's', regSource: 'a\uD800' }), 'regSource'],
      ['a non-finite number', () => client.notifyLogin({ siteUID: 's', sessionExpiration: Number.NaN }), 'sessionExpiration'],
    ];
    test.each(cases)('%s', async (_name, send, parameter) => {
      const before = server.requests.length;
      const error = await failure(send());
      expect(error).toBeInstanceOf(TypeError);
      expect(error).toBeInstanceOf(InvalidParameterError);
      expect((error as InvalidParameterError).parameter).toBe(parameter);
      expect(error.message.startsWith(`${parameter} `)).toBe(true);
      expect(server.requests.length).toBe(before);
    });

    test('without credentials, a siteUID call needs a UIDSig', async () => {
      const browser = createSocializeClient({ apiKey: server.apiKey, baseUrl: server.baseUrl });
      const before = server.requests.length;
      const error = await failure(browser.setUID({ siteUID: 's' }));
      expect(error).toMatchObject({ parameter: 'UIDSig' });
      expect(server.requests.length).toBe(before);
    });
  });
});
