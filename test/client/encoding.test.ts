// The client alone, with an injected fetch: what goes on the wire (encoding, URL, headers, signature) and
// what the options allow. No network.
import { describe, expect, test } from 'vitest';
import { createSocializeClient, InvalidParameterError, type SocializeClientOptions } from '../../src/index.js';
import { referenceBaseString, referenceHmac } from '../helpers/reference-signature.js';

const secret = 'AAECAwQFBgcICQoLDA0ODw==';
const ok = () =>
  Response.json({ callId: '0'.repeat(32), errorCode: 0, statusCode: 200, statusReason: 'OK', time: '2026-01-01T00:00:00.000Z', UID: 'u' });

function observed(options: Partial<SocializeClientOptions> = {}) {
  const seen: Request[] = [];
  const client = createSocializeClient({
    apiKey: '3_KEY',
    credentials: { secret },
    fetch: async (request) => {
      seen.push(request);
      return ok();
    },
    ...options,
  });
  return { client, seen };
}

describe('form encoding on the wire', () => {
  test('booleans as true/false, numbers in decimal, objects as JSON text, undefined left out, UTF-8', async () => {
    const { client, seen } = observed();
    await client.notifyLogin({
      siteUID: 'site user/42',
      newUser: false,
      skipValidation: true,
      sessionExpiration: -2,
      regSource: undefined,
      userInfo: { firstName: 'Zoë', age: 30, nickname: 'a&b=c+d' },
      providerSessions: { facebook: { authToken: 'tok', tokenExpiration: '1893456000' } },
      lang: '日本語',
    });
    const request = seen[0]!;
    expect(request.method).toBe('POST');
    expect(request.headers.get('content-type')).toBe('application/x-www-form-urlencoded');
    const raw = await request.text();
    expect(raw).not.toContain('regSource');
    expect(raw).toContain('lang=%E6%97%A5%E6%9C%AC%E8%AA%9E');
    expect(Object.fromEntries(new URLSearchParams(raw))).toEqual({
      siteUID: 'site user/42',
      newUser: 'false',
      skipValidation: 'true',
      sessionExpiration: '-2',
      userInfo: '{"firstName":"Zoë","age":30,"nickname":"a&b=c+d"}',
      providerSessions: '{"facebook":{"authToken":"tok","tokenExpiration":"1893456000"}}',
      lang: '日本語',
      apiKey: '3_KEY',
      format: 'json',
      secret,
    });
  });

  test('the signature covers exactly the fields on the wire', async () => {
    const { client, seen } = observed({ credentials: { secret, userKey: 'AKEY', sign: true } });
    await client.notifyLogin({ siteUID: 'a b/~*', regSource: 'ü ✓', newUser: true, userInfo: { age: 1 }, cid: undefined });
    const request = seen[0]!;
    const fields = Object.fromEntries(new URLSearchParams(await request.text()));
    const { sig, ...signed } = fields;
    expect(Object.keys(signed).sort()).toEqual(['apiKey', 'format', 'newUser', 'nonce', 'regSource', 'siteUID', 'timestamp', 'userInfo', 'userKey']);
    expect(sig).toBe(referenceHmac(secret, referenceBaseString('POST', request.url, signed)));
  });

  test('signs with key bytes, and with keys longer than an HMAC block, as the Base64 text of the same bytes', async () => {
    for (const length of [1, 16, 64, 65, 200]) {
      const key = Uint8Array.from({ length }, (_, i) => (i * 37 + length) & 0xff);
      const text = Buffer.from(key).toString('base64');
      for (const credentials of [
        { secret: key, sign: true as const },
        { secret: text, sign: true as const },
      ]) {
        const { client, seen } = observed({ credentials });
        await client.notifyLogin({ siteUID: 'site-user-42' });
        const request = seen[0]!;
        const { sig, ...signed } = Object.fromEntries(new URLSearchParams(await request.text()));
        expect(sig, `${length} bytes`).toBe(referenceHmac(text, referenceBaseString('POST', request.url, signed)));
      }
    }
  });

  test('nonces are <ms>_<16 hex digits> and distinct, across refills of the random pool (512 a fill)', async () => {
    const { client, seen } = observed({ credentials: { secret, sign: true } });
    for (let i = 0; i < 1200; i++) await client.notifyLogin({ siteUID: 'site-user-42' });
    const nonces = await Promise.all(seen.map(async (request) => new URLSearchParams(await request.text()).get('nonce')!));
    for (const nonce of nonces) expect(nonce).toMatch(/^\d{13}_[0-9a-f]{16}$/);
    expect(new Set(nonces.map((n) => n.split('_')[1])).size).toBe(nonces.length);
  });

  test('a parameter named __proto__ is a form field, as in any other object', async () => {
    const { client, seen } = observed();
    await client.notifyLogin(JSON.parse('{"siteUID":"s","__proto__":"x"}'));
    expect(new URLSearchParams(await seen[0]!.text()).get('__proto__')).toBe('x');
  });

  test('the data center picks the host; us1 by default', async () => {
    const us = observed({ dataCenter: undefined });
    await us.client.setUID({ UID: 'u', siteUID: 's' });
    expect(us.seen[0]!.url).toBe('https://socialize.us1.gigya.com/socialize.setUID');
    const eu = observed({ dataCenter: 'eu1' });
    await eu.client.notifyRegistration({ UID: 'u' });
    expect(eu.seen[0]!.url).toBe('https://socialize.eu1.gigya.com/socialize.notifyRegistration');
    const cn = observed({ dataCenter: 'cn1.sapcdm.cn' });
    await cn.client.notifyRegistration({ UID: 'u' });
    expect(cn.seen[0]!.url).toBe('https://socialize.cn1.sapcdm.cn/socialize.notifyRegistration');
  });

  test('extra headers from the options and per call', async () => {
    const { client, seen } = observed({ headers: { 'x-team': 'web' } });
    await client.setUID({ UID: 'u', siteUID: 's' }, { headers: { 'x-request-id': '42' } });
    expect(seen[0]!.headers.get('x-team')).toBe('web');
    expect(seen[0]!.headers.get('x-request-id')).toBe('42');
  });

  test('the secret is never in the URL', async () => {
    const { client, seen } = observed();
    await client.setUID({ UID: 'u', siteUID: 's' });
    expect(seen[0]!.url).not.toContain(encodeURIComponent(secret));
    expect(new URL(seen[0]!.url).search).toBe('');
  });
});

describe('options', () => {
  const make = (options: Partial<SocializeClientOptions>) => () =>
    createSocializeClient({ apiKey: 'k', fetch: async () => ok(), ...options } as SocializeClientOptions);

  test.each([['http://api.example.com'], ['http://10.0.0.5:4010'], ['http://127.example.com']])(
    'refuses to send a secret over plain HTTP to %s',
    (baseUrl) => {
      expect(make({ baseUrl, credentials: { secret } })).toThrowError(InvalidParameterError);
      expect(make({ baseUrl, credentials: { secret } })).toThrowError(/^baseUrl is plain HTTP/);
    },
  );

  test.each([['http://127.0.0.1:4010'], ['http://localhost:4010'], ['http://[::1]:4010'], ['http://127.1.2.3']])(
    'allows a loopback address over HTTP: %s',
    (baseUrl) => {
      expect(make({ baseUrl, credentials: { secret } })).not.toThrow();
    },
  );

  test('signed requests may use plain HTTP: no secret travels', () => {
    expect(make({ baseUrl: 'http://api.example.com', credentials: { secret, sign: true } })).not.toThrow();
  });

  test.each([
    [{ apiKey: '' }, 'apiKey'],
    [{ baseUrl: 'ftp://x.test' }, 'baseUrl'],
    [{ baseUrl: 'https://x.test/?secret=1' }, 'baseUrl'],
    [{ baseUrl: 'https://x.test', dataCenter: 'eu1' }, 'baseUrl'],
    [{ dataCenter: 'eu1/evil' }, 'dataCenter'],
    [{ credentials: { secret: 'not base64!' } }, 'credentials.secret'],
    [{ credentials: { secret, userKey: '' } }, 'credentials.userKey'],
    [{ timeout: -1 }, 'timeout'],
    [{ timeout: 2 ** 31 }, 'timeout'],
    [{ credentials: { secret: 'AAAA', sign: true, userKey: 'k' }, baseUrl: 'https://x.test', timeout: Number.NaN }, 'timeout'],
    [{ credentials: { secret: 'not base64!', sign: true } }, 'credentials.secret'],
    [{ credentials: { secret: new Uint8Array(16) } }, 'credentials.secret'],
    [{ credentials: { secret: new Uint8Array(0), sign: true } }, 'credentials.secret'],
  ] as Array<[Partial<SocializeClientOptions>, string]>)('refuses %j', (options, parameter) => {
    expect(make(options)).toThrowError(expect.objectContaining({ parameter }));
  });

  test('a per-call timeout is checked too, before anything is sent', async () => {
    const { client, seen } = observed();
    await expect(client.setUID({ UID: 'u', siteUID: 's' }, { timeout: -5 })).rejects.toMatchObject({ parameter: 'timeout' });
    expect(seen).toEqual([]);
  });

  test('a bad secret is not echoed', () => {
    const bad = 'my-secret-value!';
    expect(make({ credentials: { secret: bad } })).toThrowError(/^(?!.*my-secret-value)/);
  });

  test('raw refuses a secret in a body bound for plain HTTP too', async () => {
    const { client, seen } = observed({ baseUrl: 'http://api.example.com', credentials: undefined });
    await expect(client.raw.POST('/socialize.setUID', { body: { apiKey: 'k', secret, UID: 'u', siteUID: 's' } })).rejects.toMatchObject({
      parameter: 'secret',
    });
    expect(seen).toEqual([]);
  });

  test('raw is an openapi-fetch client sharing base URL, fetch and form serializer', async () => {
    const { client, seen } = observed({ baseUrl: 'http://127.0.0.1:9' });
    const { data } = await client.raw.POST('/socialize.setUID', {
      body: { apiKey: 'k', secret, UID: 'u', siteUID: 's', httpStatusCodes: false },
    });
    expect(data?.errorCode).toBe(0);
    expect(seen[0]!.url).toBe('http://127.0.0.1:9/socialize.setUID');
    expect(await seen[0]!.text()).toBe(`apiKey=k&secret=${encodeURIComponent(secret)}&UID=u&siteUID=s&httpStatusCodes=false`);
  });
});
