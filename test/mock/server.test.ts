// The mock server over real HTTP (startMockServer on port 0): each method's success, each error path,
// scenarios, JSON fields, the signatures, the login redirect, CORS, latency, and the files it serves.
// Every JSON answer is held against the contract's response schema.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { request as rawRequest } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { createSocializeClient, createUIDSignature, parseLoginRedirect, signRequest, validateUIDSignature } from '../../src/index.js';
import { startMockServer, type MockServer } from '../../src/mock/index.js';
import { Pipeline } from '../../src/mock/pipeline.js';
import { gigyaPaths, deref } from '../contract/contract-helpers.js';
import { call, expectConforms, expectError, expectSchema, post } from './mock-helpers.js';

const now = () => Math.floor(Date.now() / 1000);

let mock: MockServer;
let url: string;
let site: { apiKey: string; secret: string };
const lines: string[] = [];

// The accounts the calls below name (the mock refuses a UID it does not know: 403005).
const ACCOUNTS = ['_gid_abc', 'u1', 'u'].map((gigyaUID) => ({ gigyaUID, registration: 'pending' as const }));

beforeAll(async () => {
  mock = await startMockServer({ port: 0, log: (line) => lines.push(line), accounts: ACCOUNTS });
  url = mock.url;
  site = { apiKey: mock.apiKey, secret: mock.secret };
});
afterAll(() => mock?.close());

const server = (extra: Record<string, string> = {}) => ({ apiKey: site.apiKey, secret: site.secret, ...extra });

describe('start', () => {
  test('listens on loopback with the default test site', () => {
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(site.apiKey).toBe('3_socializeMockTestSite');
    expect(site.secret).toBe('c29jaWFsaXplLW1vY2sgcGFydG5lciBzZWNyZXQgKHRlc3Qgb25seSk=');
  });

  test("a request that needs Prism's engine right after the start waits for it; `ready` resolves", async () => {
    const fresh = await startMockServer({ port: 0 });
    try {
      const reply = await post(fresh.url, 'socialize.setUID', { apiKey: 'k', siteUID: 's' }, { query: { __example: 'rateLimitExceeded' } });
      expect(reply.body.errorCode).toBe(403048);
      await expect(fresh.ready).resolves.toBeUndefined();
      expect(fresh.counts.prism).toBe(1);
    } finally {
      await fresh.close();
    }
  });

  test('refuses bad options, naming them', async () => {
    await expect(startMockServer({ port: -1 })).rejects.toThrow(/port/);
    await expect(startMockServer({ port: 0, secret: 'not base64!' })).rejects.toThrow(/secret/);
    await expect(startMockServer({ port: 0, delay: [300, 100] })).rejects.toThrow(/delay/);
    await expect(startMockServer({ port: 0, docs: '/nonexistent/docs.html' })).rejects.toThrow(/docs/);
    await expect(startMockServer({ port: 0, contract: '/nonexistent/openapi.yaml' })).rejects.toThrow(/contract/);
  });
});

describe('each method succeeds', () => {
  test('setUID with the partner secret', async () => {
    const reply = await post(url, 'socialize.setUID', server({ UID: '_gid_abc', siteUID: 'site-user-42' }));
    expect(reply.status).toBe(200);
    expectConforms(reply, '/socialize.setUID');
    expect(reply.body).toMatchObject({ errorCode: 0, statusCode: 200, statusReason: 'OK' });
  });

  test('notifyRegistration with the partner secret', async () => {
    const reply = await post(url, 'socialize.notifyRegistration', server({ UID: '_gid_abc', siteUID: 'site-user-42', cid: 'registration' }));
    expectConforms(reply, '/socialize.notifyRegistration');
    expect(reply.body.errorCode).toBe(0);
  });

  test('notifyLogin: UID = siteUID with a UIDSignature the client accepts, and a session cookie', async () => {
    const reply = await post(url, 'socialize.notifyLogin', server({ siteUID: 'site-user-42', newUser: 'true', sessionExpiration: '3600' }));
    expectConforms(reply, '/socialize.notifyLogin');
    expect(reply.body).toMatchObject({ errorCode: 0, UID: 'site-user-42', cookieName: `glt_${site.apiKey}`, cookiePath: '/' });
    expect(typeof reply.body.cookieValue).toBe('string');
    const { UID, UIDSignature, signatureTimestamp } = reply.body;
    expect(Math.abs(Number(signatureTimestamp) - now())).toBeLessThanOrEqual(2);
    await expect(validateUIDSignature({ secret: site.secret, UID, UIDSignature, signatureTimestamp })).resolves.toBe(true);
    await expect(validateUIDSignature({ secret: 'AAECAwQFBgcICQoLDA0ODw==', UID, UIDSignature, signatureTimestamp })).resolves.toBe(false);
  });

  test('notifyLogin with targetEnv=mobile: sessionInfo with a session token and secret', async () => {
    const reply = await post(url, 'socialize.notifyLogin', server({ siteUID: 'site-user-42', targetEnv: 'mobile', sessionExpiration: '600' }));
    expectConforms(reply, '/socialize.notifyLogin');
    expect(reply.body.sessionInfo).toMatchObject({ expires_in: 600 });
    expect(typeof reply.body.sessionInfo.sessionToken).toBe('string');
    expect(reply.body.sessionInfo.sessionSecret).toMatch(/^[A-Za-z0-9+/]+=*$/);
    expect(reply.body.cookieName).toBeUndefined();
    // The session token works as oauth_token for later calls.
    const next = await post(url, 'socialize.setUID', { oauth_token: reply.body.sessionInfo.sessionToken, siteUID: 'site-user-43' });
    expect(next.body.errorCode).toBe(0);
    const forged = await post(url, 'socialize.setUID', { oauth_token: `${reply.body.sessionInfo.sessionToken}x`, siteUID: 'site-user-43' });
    expectError(forged, '/socialize.setUID', 403025, 'oauth_token');
  });

  test('notifyLogin with providerSessions only: a generated UID, the same for the same session', async () => {
    const fields = server({ providerSessions: JSON.stringify({ facebook: { authToken: 'EAAGm0PX4ZCpsBA' } }) });
    const [a, b] = await Promise.all([post(url, 'socialize.notifyLogin', fields), post(url, 'socialize.notifyLogin', fields)]);
    expectConforms(a, '/socialize.notifyLogin');
    expect(a.body.UID).toMatch(/^_gid_[A-Za-z0-9+/]{22}==$/);
    expect(b.body.UID).toBe(a.body.UID);
    await expect(validateUIDSignature({ secret: site.secret, ...a.body } as never)).resolves.toBe(true);
  });

  test('the typed client works against it (secret, and signed requests)', async () => {
    const plain = createSocializeClient({ apiKey: site.apiKey, baseUrl: url, credentials: { secret: site.secret } });
    const signed = createSocializeClient({ apiKey: site.apiKey, baseUrl: url, credentials: { secret: site.secret, sign: true } });
    for (const client of [plain, signed]) {
      await expect(client.setUID({ UID: '_gid_abc', siteUID: 'site-user-42' })).resolves.toMatchObject({ errorCode: 0 });
      await expect(client.notifyRegistration({ UID: '_gid_abc', siteUID: 'site-user-42' })).resolves.toMatchObject({ errorCode: 0 });
      const login = await client.notifyLogin({
        siteUID: 'site-user-42',
        userInfo: { firstName: 'Ann', age: 30 },
        actionAttributes: { tags: ['music'] },
      });
      expect(login.UID).toBe('site-user-42');
    }
  });

  test('context is handed back; unknown parameters are listed in ignoredParams', async () => {
    const reply = await post(url, 'socialize.setUID', server({ UID: 'u1', siteUID: 's1', context: 'checkout', ignoreMe: '1' }));
    expectConforms(reply, '/socialize.setUID');
    expect(reply.body.context).toBe('checkout');
    expect(reply.body.ignoredParams).toEqual([expect.objectContaining({ paramName: 'ignoreMe', warningCode: 403007 })]);
  });
});

describe('validation errors', () => {
  test('missing required parameter → 400002 naming it', async () => {
    expectError(await post(url, 'socialize.setUID', server({ UID: 'u1' })), '/socialize.setUID', 400002, 'siteUID');
    expectError(await post(url, 'socialize.notifyLogin', server()), '/socialize.notifyLogin', 400002, 'siteUID or providerSessions');
    expectError(await post(url, 'socialize.notifyRegistration', server({ siteUID: 's1' })), '/socialize.notifyRegistration', 400002, 'UID');
    // UIDSig and UIDTimestamp go together (a rule Prism's draft-07 validator does not apply).
    const { UIDSig } = await createUIDSignature({ secret: site.secret, siteUID: 's1' });
    expectError(await post(url, 'socialize.setUID', { apiKey: site.apiKey, siteUID: 's1', UIDSig }), '/socialize.setUID', 400002, 'UIDTimestamp');
  });

  test('an empty body → 400002 naming what is missing', async () => {
    expectError(await call(url, '/socialize.setUID', { method: 'POST', body: '' }), '/socialize.setUID', 400002, 'siteUID');
    expectError(await call(url, '/socialize.notifyRegistration', { method: 'POST', body: '' }), '/socialize.notifyRegistration', 400002, 'apiKey');
  });

  test('siteUID too long or not ASCII → 400006 naming siteUID', async () => {
    expectError(await post(url, 'socialize.setUID', server({ UID: 'u', siteUID: 'x'.repeat(253) })), '/socialize.setUID', 400006, 'siteUID', '252');
    expectError(await post(url, 'socialize.setUID', server({ UID: 'u', siteUID: 'José' })), '/socialize.setUID', 400006, 'siteUID', 'ASCII');
    expectError(
      await post(url, 'socialize.setUID', server({ UID: 'u', siteUID: 'site-u', cid: 'c'.repeat(101) })),
      '/socialize.setUID',
      400006,
      'cid',
    );
  });

  test('wrong type or value → 400006 naming the parameter', async () => {
    expectError(
      await post(url, 'socialize.notifyLogin', server({ siteUID: 's', sessionExpiration: 'soon' })),
      '/socialize.notifyLogin',
      400006,
      'sessionExpiration',
    );
    expectError(
      await post(url, 'socialize.notifyLogin', server({ siteUID: 's', targetEnv: 'tv' })),
      '/socialize.notifyLogin',
      400006,
      'targetEnv',
      'browser, mobile',
    );
    expectError(await post(url, 'socialize.notifyLogin', server({ siteUID: 's', newUser: 'yes' })), '/socialize.notifyLogin', 400006, 'newUser');
    expectError(await post(url, 'socialize.setUID', server({ UID: 'u', siteUID: 'u' })), '/socialize.setUID', 400006, 'siteUID');
  });

  test('numbers only as plain decimal digits; booleans as the official SDKs send them (true/false, True/False, 1/0)', async () => {
    for (const text of ['0x10', '1e3', '+12', ' 12', '12 ', 'Infinity', '', '1.0']) {
      const reply = await post(url, 'socialize.notifyLogin', server({ siteUID: 's', sessionExpiration: text }));
      expectError(reply, '/socialize.notifyLogin', 400006, 'sessionExpiration: must be integer');
    }
    for (const text of ['TRUE', 'yes', '', '2', 'true ', 'tRue', '01']) {
      expectError(await post(url, 'socialize.notifyLogin', server({ siteUID: 's', newUser: text })), '/socialize.notifyLogin', 400006, 'newUser');
    }
    const ok = await post(url, 'socialize.notifyLogin', server({ siteUID: 's', sessionExpiration: '-2', newUser: 'false' }));
    expect(ok.body.errorCode).toBe(0);
    for (const text of ['true', 'false', 'True', 'False', '1', '0']) {
      const sdk = await post(url, 'socialize.notifyLogin', server({ siteUID: 's', newUser: text, checkParams: text }));
      expect(sdk.body.errorCode, `newUser=${text}`).toBe(0);
    }
  });

  test('JSON fields: valid content is accepted as JSON text', async () => {
    const reply = await post(
      url,
      'socialize.notifyLogin',
      server({
        siteUID: 's',
        userInfo: JSON.stringify({ firstName: 'Ann', lastName: 'Lee', age: 30, email: 'ann@example.com', photoURL: 'https://e.x/p.jpg' }),
        providerSessions: JSON.stringify({ facebook: { authToken: 'a b+c/d=e&f', tokenExpiration: '1893456000' } }),
        actionAttributes: JSON.stringify({ 'tv-show': 'glee', tags: ['music', 'news'] }),
      }),
    );
    expectConforms(reply, '/socialize.notifyLogin');
    expect(reply.body.errorCode).toBe(0);
  });

  test('JSON fields: text that is not JSON → 400004, wrong content → 400006, naming the field', async () => {
    expectError(
      await post(url, 'socialize.notifyLogin', server({ siteUID: 's', userInfo: '{firstName: Ann}' })),
      '/socialize.notifyLogin',
      400004,
      'userInfo',
    );
    expectError(
      await post(url, 'socialize.notifyLogin', server({ siteUID: 's', userInfo: '{"age":"thirty"}' })),
      '/socialize.notifyLogin',
      400006,
      'userInfo.age',
    );
    expectError(
      await post(url, 'socialize.notifyLogin', server({ siteUID: 's', userInfo: '{"thumbnailURL":"https://e.x/t.jpg"}' })),
      '/socialize.notifyLogin',
      400006,
      'photoURL',
    );
    expectError(await post(url, 'socialize.notifyLogin', server({ siteUID: 's', userInfo: '[]' })), '/socialize.notifyLogin', 400006, 'userInfo');
    expectError(
      await post(url, 'socialize.notifyLogin', server({ providerSessions: '{"myspace":{}}' })),
      '/socialize.notifyLogin',
      400006,
      'providerSessions',
      'myspace',
    );
    expectError(
      await post(url, 'socialize.notifyLogin', server({ providerSessions: '{"facebook":{}}' })),
      '/socialize.notifyLogin',
      400006,
      'providerSessions.facebook',
    );
    expectError(
      await post(url, 'socialize.notifyLogin', server({ siteUID: 's', actionAttributes: '{"a":"1","b":"2","c":"3","d":"4"}' })),
      '/socialize.notifyLogin',
      400006,
      'actionAttributes',
    );
  });

  test('malformed percent-encoding, bytes that are not UTF-8, a repeated name → named errors', async () => {
    expectError(await call(url, '/socialize.setUID', { body: `apiKey=${site.apiKey}&siteUID=%E9%ZZ` }), '/socialize.setUID', 400004, 'siteUID');
    expectError(
      await call(url, '/socialize.setUID', { body: Buffer.concat([Buffer.from('apiKey=k&siteUID='), Buffer.from([0xff, 0xfe])]) }),
      '/socialize.setUID',
      400004,
      'siteUID',
      'UTF-8',
    );
    expectError(await call(url, '/socialize.setUID', { body: 'siteUID=a&siteUID=b' }), '/socialize.setUID', 400006, 'siteUID', 'more than once');
    expectError(await call(url, '/socialize.setUID?x=%', { body: 'siteUID=a' }), '/socialize.setUID', 400004, 'x');
  });

  test('unknown parameters with checkParams=true → 403007', async () => {
    expectError(
      await post(url, 'socialize.setUID', server({ UID: 'u', siteUID: 'site-u', checkParams: 'true', nonsense: '1' })),
      '/socialize.setUID',
      403007,
      'nonsense',
    );
  });
});

describe('requests in the wrong shape', () => {
  test('unknown method → 404000, naming the methods there are', async () => {
    const reply = await post(url, 'socialize.getUserInfo', server());
    expectError(reply, '/socialize.setUID', 404000, 'socialize.getUserInfo', 'socialize.notifyLogin');
  });

  test('wrong HTTP method → 400001', async () => {
    expectError(await call(url, '/socialize.setUID'), '/socialize.setUID', 400001, 'POST');
    expectError(await call(url, '/socialize.login', { method: 'POST', body: 'x_provider=facebook' }), '/socialize.login', 400001, 'GET');
  });

  test('wrong content type → 400001 naming Content-Type', async () => {
    const reply = await call(url, '/socialize.setUID', {
      body: JSON.stringify(server({ siteUID: 's' })),
      headers: { 'content-type': 'application/json' },
    });
    expectError(reply, '/socialize.setUID', 400001, 'Content-Type');
  });

  test('a body over 1 MB → 400001, declared or streamed, and the server keeps serving', async () => {
    const big = `siteUID=${'x'.repeat(1024 * 1024 + 10)}`;
    expectError(await call(url, '/socialize.setUID', { body: big }), '/socialize.setUID', 400001, 'body');
    // Chunked (no content-length): counted while streaming.
    const chunked = await new Promise<number>((resolve, reject) => {
      const req = rawRequest(`${url}/socialize.setUID`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'transfer-encoding': 'chunked' },
      });
      req.on('response', (res) => {
        let text = '';
        res.on('data', (c) => (text += c));
        res.on('end', () => resolve(JSON.parse(text).errorCode));
      });
      req.on('error', reject);
      for (let i = 0; i < 20; i++) req.write('x'.repeat(64 * 1024));
      req.end();
    });
    expect(chunked).toBe(400001);
    expect((await post(url, 'socialize.setUID', server({ UID: 'u', siteUID: 'site-u' }))).body.errorCode).toBe(0);
  });

  test('httpStatusCodes=true: the HTTP status follows statusCode; the body matches the default response', async () => {
    const error = await post(url, 'socialize.setUID', server({ UID: 'u', httpStatusCodes: 'true' }));
    expect(error.status).toBe(400);
    expectError(error, '/socialize.setUID', 400002, 'siteUID');
    const denied = await post(url, 'socialize.setUID', {
      apiKey: site.apiKey,
      secret: 'AAECAwQFBgcICQoLDA0ODw==',
      UID: 'u',
      siteUID: 'site-u',
      httpStatusCodes: 'true',
    });
    expect(denied.status).toBe(403);
    const ok = await post(url, 'socialize.setUID', server({ UID: 'u', siteUID: 'site-u', httpStatusCodes: 'true' }));
    expect(ok.status).toBe(200);
    expect(ok.body.errorCode).toBe(0);
    const without = await post(url, 'socialize.setUID', server({ UID: 'u' }));
    expect(without.status).toBe(200);
  });
});

describe('credentials', () => {
  test('wrong or missing apiKey → 400093 / 400002', async () => {
    expectError(
      await post(url, 'socialize.setUID', { apiKey: '3_other', secret: site.secret, UID: 'u', siteUID: 'site-u' }),
      '/socialize.setUID',
      400093,
      'apiKey',
    );
    expectError(await post(url, 'socialize.setUID', { secret: site.secret, UID: 'u', siteUID: 'site-u' }), '/socialize.setUID', 400002, 'apiKey');
  });

  test('wrong secret → 403003, never echoing it', async () => {
    const reply = await post(url, 'socialize.setUID', { apiKey: site.apiKey, secret: 'AAECAwQFBgcICQoLDA0ODw==', UID: 'u', siteUID: 'site-u' });
    expectError(reply, '/socialize.setUID', 403003, 'secret');
    expect(reply.text).not.toContain('AAECAwQFBgcICQoLDA0ODw');
  });

  test('no credentials at all → 400002 naming secret', async () => {
    expectError(await post(url, 'socialize.setUID', { apiKey: site.apiKey, UID: 'u', siteUID: 'site-u' }), '/socialize.setUID', 400002, 'secret');
  });

  test('a user key (the test site has none) → 403005; a bearer JWT → 400008', async () => {
    expectError(
      await post(url, 'socialize.setUID', server({ userKey: 'AKEY', UID: 'u', siteUID: 'site-u' })),
      '/socialize.setUID',
      403005,
      'userKey',
    );
    expectError(
      await post(url, 'socialize.setUID', server({ UID: 'u', siteUID: 'site-u' }), { headers: { authorization: 'Bearer a.b.c' } }),
      '/socialize.setUID',
      400008,
      'Authorization',
    );
  });

  test('UIDSig: valid → 0; forged → 403003; older or newer than five minutes → 403002', async () => {
    const browser = (sig: { UIDSig: string; UIDTimestamp: string }, siteUID = 'site-user-42') =>
      post(url, 'socialize.notifyLogin', { apiKey: site.apiKey, siteUID, ...sig });
    const fresh = await createUIDSignature({ secret: site.secret, siteUID: 'site-user-42' });
    const ok = await browser(fresh);
    expectConforms(ok, '/socialize.notifyLogin');
    expect(ok.body.errorCode).toBe(0);
    expectError(await browser(fresh, 'site-user-43'), '/socialize.notifyLogin', 403003, 'UIDSig');
    const other = await createUIDSignature({ secret: 'AAECAwQFBgcICQoLDA0ODw==', siteUID: 'site-user-42' });
    expectError(await browser(other), '/socialize.notifyLogin', 403003, 'UIDSig');
    for (const offset of [-301, 301]) {
      const stale = await createUIDSignature({ secret: site.secret, siteUID: 'site-user-42', timestamp: now() + offset });
      expectError(await browser(stale), '/socialize.notifyLogin', 403002, 'UIDTimestamp');
    }
    const edge = await createUIDSignature({ secret: site.secret, siteUID: 'site-user-42', timestamp: now() - 290 });
    expect((await browser(edge)).body.errorCode).toBe(0);
  });

  async function signed(params: Record<string, string>, secret = site.secret) {
    const sig = await signRequest({ secret, method: 'POST', url: `${url}/socialize.setUID`, params });
    return { ...params, sig };
  }

  test('signed request: valid → 0; replayed nonce → 403004; forged → 403003 without using up the nonce', async () => {
    const params = { apiKey: site.apiKey, UID: 'u', siteUID: 'site-u', timestamp: String(now()), nonce: `n-${Math.random()}` };
    const forged = await signed(params, 'AAECAwQFBgcICQoLDA0ODw==');
    expectError(await post(url, 'socialize.setUID', forged), '/socialize.setUID', 403003, 'sig');
    const good = await signed(params);
    const first = await post(url, 'socialize.setUID', good);
    expectConforms(first, '/socialize.setUID');
    expect(first.body.errorCode).toBe(0);
    expectError(await post(url, 'socialize.setUID', good), '/socialize.setUID', 403004, 'nonce');
    // A parameter changed after signing breaks the signature.
    expectError(await post(url, 'socialize.setUID', { ...good, siteUID: 'other', nonce: 'n2' }), '/socialize.setUID', 403003, 'sig');
  });

  test('signed request outside ±120 s → 403002', async () => {
    for (const offset of [-121, 121]) {
      const params = await signed({
        apiKey: site.apiKey,
        UID: 'u',
        siteUID: 'site-u',
        timestamp: String(now() + offset),
        nonce: `n-${Math.random()}`,
      });
      expectError(await post(url, 'socialize.setUID', params), '/socialize.setUID', 403002, 'timestamp');
    }
    const inside = await signed({ apiKey: site.apiKey, UID: 'u', siteUID: 'site-u', timestamp: String(now() - 110), nonce: `n-${Math.random()}` });
    expect((await post(url, 'socialize.setUID', inside)).body.errorCode).toBe(0);
  });

  test('secret and sig together → 400001', async () => {
    const params = await signed({ apiKey: site.apiKey, UID: 'u', siteUID: 'site-u', timestamp: String(now()), nonce: `n-${Math.random()}` });
    expectError(await post(url, 'socialize.setUID', { ...params, secret: site.secret }), '/socialize.setUID', 400001, 'secret');
  });

  test('sig without timestamp and nonce → 400002', async () => {
    const params = await signed({ apiKey: site.apiKey, UID: 'u', siteUID: 'site-u' });
    expectError(await post(url, 'socialize.setUID', params), '/socialize.setUID', 400002, 'timestamp');
  });
});

describe('scenarios', () => {
  const forms: Record<string, Record<string, string>> = {
    '/socialize.setUID': { apiKey: 'any', siteUID: 's' },
    '/socialize.notifyRegistration': { apiKey: 'any', UID: 'u' },
    '/socialize.notifyLogin': { apiKey: 'any', siteUID: 's' },
  };
  const loginQuery = { x_provider: 'facebook', client_id: 'any', redirect_uri: 'https://example.com/done', response_type: 'token' };

  for (const [path, item] of Object.entries<any>(gigyaPaths)) {
    const method = item.post ? 'post' : 'get';
    const examples = Object.keys(item[method].responses['200'].content['application/json'].examples);
    test(`${path}: every named example, by Prefer header and by ?__example`, async () => {
      for (const name of examples) {
        const expected = deref(item[method].responses['200'].content['application/json'].examples[name]).value;
        for (const how of ['header', 'query'] as const) {
          const options = how === 'header' ? { headers: { prefer: `example=${name}` } } : { query: { __example: name } };
          const reply =
            method === 'post'
              ? await call(url, path, { ...options, method: 'POST', body: forms[path]! })
              : await call(url, path, { ...options, query: { ...loginQuery, ...(options.query ?? {}) } });
          expectConforms(reply, path, method);
          expect(reply.body.errorCode, `${path} ${name} by ${how}`).toBe(expected.errorCode);
          expect(reply.body.errorDetails).toBe(expected.errorDetails);
          expect(reply.body.callId).not.toBe(expected.callId);
          if (typeof reply.body.UIDSignature === 'string') {
            await expect(validateUIDSignature({ secret: site.secret, ...reply.body } as never)).resolves.toBe(true);
          }
        }
      }
    });
  }

  test('an unknown example name → 400006 naming the available ones', async () => {
    const byQuery = await call(url, '/socialize.setUID', { method: 'POST', body: forms['/socialize.setUID']!, query: { __example: 'nope' } });
    expectError(byQuery, '/socialize.setUID', 400006, '__example', 'nope', 'success', 'missingParameter', 'rateLimitExceeded');
    const byHeader = await call(url, '/socialize.setUID', { method: 'POST', body: forms['/socialize.setUID']!, headers: { prefer: 'example=nope' } });
    expectError(byHeader, '/socialize.setUID', 400006, 'Prefer', 'success');
  });

  test('a scenario still needs a request that passes validation', async () => {
    const reply = await call(url, '/socialize.setUID', { method: 'POST', body: { apiKey: 'k' }, query: { __example: 'success' } });
    expectError(reply, '/socialize.setUID', 400002, 'siteUID');
  });
});

describe('socialize.login', () => {
  const login = (query: Record<string, string>) => call(url, '/socialize.login', { query });
  const valid = () => ({
    x_provider: 'facebook',
    client_id: site.apiKey,
    redirect_uri: 'https://www.example.com/login/done?from=app',
    response_type: 'token',
    state: 'af0ifjsldkj',
  });

  test('redirects to redirect_uri with a signed result that parseLoginRedirect accepts', async () => {
    const reply = await login(valid());
    expect(reply.status).toBe(302);
    const location = reply.headers.location!;
    expect(location.startsWith('https://www.example.com/login/done?from=app&')).toBe(true);
    const result = await parseLoginRedirect(location, { secret: site.secret, state: 'af0ifjsldkj' });
    expect(result.UID).toMatch(/^_gid_/);
    expect(result).toMatchObject({ state: 'af0ifjsldkj', loginProvider: 'facebook', expires_in: 3600 });
    expect(typeof result.access_token).toBe('string');
    const { from: _from, ...members } = result as Record<string, unknown>;
    expectSchema(members, 'components', 'schemas', 'LoginRedirectResult');
    await expect(parseLoginRedirect(location, { secret: 'AAECAwQFBgcICQoLDA0ODw==' })).rejects.toThrow(/UIDSignature/);
    await expect(parseLoginRedirect(location, { secret: site.secret, state: 'other' })).rejects.toThrow(/state/);
  });

  test("the client's loginUrl leads to a redirect it can read; response_type=code carries a code", async () => {
    const client = createSocializeClient({ apiKey: site.apiKey, baseUrl: url });
    const reply = await call(client.loginUrl({ x_provider: 'twitter', redirect_uri: 'http://localhost:3000/cb', response_type: 'code' }), '');
    const result = await parseLoginRedirect(reply.headers.location!, { secret: site.secret });
    expect(typeof result.code).toBe('string');
    expect(result.access_token).toBeUndefined();
    expect(result.loginProvider).toBe('twitter');
  });

  test('missing or invalid redirect_uri → 400011 as an envelope, not a redirect', async () => {
    const { redirect_uri: _r, ...without } = valid();
    for (const query of [
      without,
      { ...valid(), redirect_uri: 'not a url' },
      { ...valid(), redirect_uri: 'ftp://example.com/' },
      { ...valid(), redirect_uri: 'https://example.com/#frag' },
    ]) {
      const reply = await login(query);
      expect(reply.status).toBe(200);
      expect(reply.headers.location).toBeUndefined();
      expectError(reply, '/socialize.login', 400011, 'redirect_uri');
    }
  });

  test('redirect_uri keeps its own query exactly, whatever it holds', async () => {
    for (const redirect of ['https://a.example??', 'https://a.example/cb?flag', 'https://a.example/cb?a=%2B+b&c=', 'https://a.example/cb?']) {
      const reply = await login({ ...valid(), redirect_uri: redirect });
      const location = reply.headers.location!;
      const own = new URL(redirect).href;
      expect(location.startsWith(`${own}${own.includes('?') ? '&' : '?'}UID=`), location).toBe(true);
    }
  });

  test('login parameters: invalid or empty values → 400006 naming the parameter as the contract spells it', async () => {
    for (const [name, value] of [
      ['finalizeRegistration', 'yes'],
      ['finalizeRegistration', ''],
      ['x_forceAuthentication', 'maybe'],
      ['x_displayMode', 'tv'],
      ['x_displayMode', ''],
      ['x_session_expiration', '1e3'],
      ['x_session_expiration', ''],
    ] as const) {
      const reply = await login({ ...valid(), [name]: value });
      expectError(reply, '/socialize.login', 400006, `${name}:`);
    }
  });

  test('other login errors: 400002 x_provider, 400012 response_type, 400093 client_id', async () => {
    const { x_provider: _p, ...noProvider } = valid();
    expectError(await login(noProvider), '/socialize.login', 400002, 'x_provider');
    expectError(await login({ ...valid(), response_type: 'id_token' }), '/socialize.login', 400012, 'response_type');
    expectError(await login({ ...valid(), client_id: '3_other' }), '/socialize.login', 400093, 'client_id');
    expectError(await login({ ...valid(), x_provider: 'myspace' }), '/socialize.login', 400006, 'x_provider');
  });
});

describe('CORS, files, format', () => {
  test('preflight → 204 echoing the origin and the requested headers (Prefer included)', async () => {
    const reply = await call(url, '/socialize.notifyLogin', {
      method: 'OPTIONS',
      headers: { origin: 'http://localhost:5173', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,prefer' },
    });
    expect(reply.status).toBe(204);
    expect(reply.headers['access-control-allow-origin']).toBe('http://localhost:5173');
    expect(reply.headers['access-control-allow-headers']).toBe('content-type,prefer');
    expect(reply.headers['access-control-allow-methods']).toContain('POST');
  });

  test('answers carry Access-Control-Allow-Origin for the calling origin', async () => {
    const reply = await post(url, 'socialize.setUID', server({ UID: 'u', siteUID: 'site-u' }), { headers: { origin: 'http://localhost:5173' } });
    expect(reply.headers['access-control-allow-origin']).toBe('http://localhost:5173');
    expect(reply.headers.vary).toContain('Origin');
  });

  test('GET /openapi.yaml is the bundled contract', async () => {
    const reply = await call(url, '/openapi.yaml');
    expect(reply.status).toBe(200);
    expect(reply.headers['content-type']).toMatch(/^text\/yaml/);
    expect(reply.text).toBe(readFileSync(new URL('../../generated/openapi.yaml', import.meta.url), 'utf8'));
  });

  test('GET /docs without a docs file is not a method', async () => {
    expectError(await call(url, '/docs'), '/socialize.setUID', 404000, 'docs');
  });

  test('format=jsonp wraps the answer in the callback', async () => {
    const reply = await post(url, 'socialize.setUID', server({ UID: 'u', siteUID: 'site-u', format: 'jsonp', callback: 'handle' }));
    expect(reply.headers['content-type']).toMatch(/^application\/javascript/);
    const match = /^handle\((.*)\);$/s.exec(reply.text);
    expect(JSON.parse(match![1]!).errorCode).toBe(0);
  });
});

// Raw bytes on a socket: resolves with everything the server sent before it closed the connection.
function rawExchange(base: string, bytes: string, endAfterMs?: number): Promise<string> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.write(bytes));
    let received = '';
    socket.on('data', (chunk) => (received += chunk.toString()));
    socket.on('close', () => resolve(received));
    socket.on('error', reject);
    if (endAfterMs !== undefined) setTimeout(() => socket.end(), endAfterMs);
  });
}

function envelopeIn(raw: string): Record<string, any> {
  expect(raw).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
  return JSON.parse(raw.slice(raw.indexOf('\r\n\r\n') + 4));
}

describe('bad input on the wire', () => {
  test('a client that stalls gets 504002 and a closed connection; garbage and truncated bodies get 400001', async () => {
    const strict = await startMockServer({ port: 0, requestTimeout: 300, accounts: ACCOUNTS });
    try {
      const head = 'POST /socialize.setUID HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n';
      const stalled = envelopeIn(await rawExchange(strict.url, `${head}Content-Length: 100\r\n\r\nsiteUID=a`));
      expect(stalled).toMatchObject({ errorCode: 504002, errorMessage: 'Request Timeout' });
      expect(envelopeIn(await rawExchange(strict.url, 'HELLO\r\n\r\n')).errorCode).toBe(400001);
      expect(envelopeIn(await rawExchange(strict.url, `${head}Content-Length: 100\r\n\r\nsiteUID=a`, 20)).errorCode).toBe(400001);
      expect(envelopeIn(await rawExchange(strict.url, `${head}Transfer-Encoding: chunked\r\n\r\nzz\r\n`)).errorCode).toBe(400001);
      // Still serving.
      expect(
        (await post(strict.url, 'socialize.setUID', { apiKey: strict.apiKey, secret: strict.secret, UID: 'u', siteUID: 'site-u' })).body.errorCode,
      ).toBe(0);
    } finally {
      await strict.close();
    }
  });
});

describe('options', () => {
  test('docs: served at /docs and /docs/', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mock-docs-'));
    const file = join(dir, 'index.html');
    writeFileSync(file, '<!doctype html><title>docs</title>');
    const withDocs = await startMockServer({ port: 0, docs: file });
    try {
      for (const path of ['/docs', '/docs/']) {
        const reply = await call(withDocs.url, path);
        expect(reply.status).toBe(200);
        expect(reply.headers['content-type']).toMatch(/^text\/html/);
        expect(reply.text).toBe('<!doctype html><title>docs</title>');
      }
    } finally {
      await withDocs.close();
    }
  });

  test('delay: a fixed delay and a range hold every answer back at least that long', async () => {
    const slow = await startMockServer({ port: 0, delay: 150, accounts: ACCOUNTS });
    const ranged = await startMockServer({ port: 0, delay: [100, 200], accounts: ACCOUNTS });
    try {
      for (const [server_, min] of [
        [slow, 150],
        [ranged, 100],
      ] as const) {
        const ok = await post(server_.url, 'socialize.setUID', { apiKey: server_.apiKey, secret: server_.secret, UID: 'u', siteUID: 'site-u' });
        expect(ok.body.errorCode).toBe(0);
        expect(ok.ms).toBeGreaterThanOrEqual(min - 1);
        const error = await post(server_.url, 'socialize.setUID', { apiKey: server_.apiKey });
        expect(error.ms).toBeGreaterThanOrEqual(min - 1);
      }
    } finally {
      await Promise.all([slow.close(), ranged.close()]);
    }
  });

  test('custom apiKey and secret', async () => {
    const other = await startMockServer({ port: 0, apiKey: '3_custom', secret: 'AAECAwQFBgcICQoLDA0ODw==', accounts: ACCOUNTS });
    try {
      expect(
        (await post(other.url, 'socialize.setUID', { apiKey: '3_custom', secret: 'AAECAwQFBgcICQoLDA0ODw==', UID: 'u', siteUID: 'site-u' })).body
          .errorCode,
      ).toBe(0);
      expect((await post(other.url, 'socialize.setUID', server({ UID: 'u', siteUID: 'site-u' }))).body.errorCode).toBe(400093);
    } finally {
      await other.close();
    }
  });

  test('log: one line per request, naming method, path and errorCode, never secrets or query values', async () => {
    const before = lines.length;
    await post(url, 'socialize.setUID', server({ UID: 'u', siteUID: 'secret-site-uid' }), { query: { __example: 'success', token: 'query-value' } });
    await call(url, '/socialize.login', {
      query: { x_provider: 'facebook', client_id: site.apiKey, redirect_uri: 'https://e.x/cb', response_type: 'token', state: 'state-value' },
    });
    const logged = lines.slice(before);
    expect(logged).toHaveLength(2);
    expect(logged[0]).toMatch(/^POST \/socialize\.setUID → 0 \d+\.\d ms$/);
    expect(logged[1]).toMatch(/^GET \/socialize\.login → 302 /);
    for (const line of lines) {
      expect(line).not.toContain(site.secret);
      expect(line).not.toContain('query-value');
      expect(line).not.toContain('state-value');
      expect(line).not.toContain('secret-site-uid');
    }
  });
});

describe('a bug in the mock', () => {
  // The answer is computed in the body's own turn when nothing waits, and written at the turn's end
  // (answer-batch.ts): a throw in either, or a rejection later, must still reach the client as Gigya's
  // 500001 (never a dropped connection or a crashed server).
  test('a throw or a rejection in the pipeline, or a throw writing its answer, answers 500001, is logged, and the server keeps serving', async () => {
    const handle = vi.spyOn(Pipeline.prototype, 'handle');
    handle.mockImplementationOnce(() => {
      throw new Error('boom, synchronously');
    });
    handle.mockImplementationOnce(() => Promise.reject(new Error('boom, later')));
    // JSON.stringify throws on a BigInt: when the batch writes the answer, after the pipeline is done.
    handle.mockImplementationOnce(() => ({ kind: 'json', answer: { status: 200, body: { errorCode: 0, n: 1n } }, httpStatusCodes: false }));
    const fields = server({ siteUID: 'bug-test-user' });
    const messages = { synchronously: 'boom, synchronously', later: 'boom, later', 'writing the answer': 'Do not know how to serialize a BigInt' };
    for (const [when, message] of Object.entries(messages)) {
      const reply = await post(url, 'socialize.notifyLogin', fields);
      expectError(reply, '/socialize.notifyLogin', 500001, 'mock: internal error');
      expect(reply.text).not.toContain(message);
      expect(lines.at(-1), when).toBe(`POST /socialize.notifyLogin → 500001 internal error: ${message}`);
    }
    handle.mockRestore();
    expect((await post(url, 'socialize.notifyLogin', fields)).body.errorCode).toBe(0);
  });
});
