// The fast path must answer exactly as Prism's path does. Two mocks, one with prismOnly (every request
// through Prism's engine) and one as shipped, get the same varied corpus of valid and invalid requests
// for all four methods; their answers must be identical apart from what is fresh on every answer
// (callId, time, signatureTimestamp, and the UIDSignature made with it, which must verify in both).
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createUIDSignature, signRequest, validateUIDSignature } from '../../src/index.js';
import { startMockServer, type MockServer } from '../../src/mock/index.js';
import { call, type CallOptions, type Reply } from './mock-helpers.js';

let prismOnly: MockServer;
let shipped: MockServer;

beforeAll(async () => {
  // The account the corpus names (a UID the mock does not know is refused: 403005); both servers see the
  // same calls in the same order, so their accounts stay the same.
  const accounts = [{ gigyaUID: '_gid_abc', registration: 'pending' as const }];
  [prismOnly, shipped] = await Promise.all([startMockServer({ port: 0, prismOnly: true, accounts }), startMockServer({ port: 0, accounts })]);
});
afterAll(async () => {
  await Promise.all([prismOnly?.close(), shipped?.close()]);
});

const apiKey = '3_socializeMockTestSite';
const secret = 'c29jaWFsaXplLW1vY2sgcGFydG5lciBzZWNyZXQgKHRlc3Qgb25seSk=';
const now = () => Math.floor(Date.now() / 1000);

type Case = { label: string; path: string; options: CallOptions };

const form = (path: string, fields: Record<string, string>, extra: Omit<CallOptions, 'body'> = {}): Case => ({
  label: `${path} ${JSON.stringify(fields).slice(0, 120)} ${JSON.stringify(extra).slice(0, 80)}`,
  path,
  options: { method: 'POST', body: fields, ...extra },
});
const raw = (label: string, path: string, options: CallOptions): Case => ({ label, path, options });

async function corpus(): Promise<Case[]> {
  const cases: Case[] = [];
  const server = { apiKey, secret };
  const bases: Record<string, Record<string, string>> = {
    '/socialize.setUID': { ...server, UID: '_gid_abc', siteUID: 'site-user-42' },
    '/socialize.notifyRegistration': { ...server, UID: '_gid_abc', siteUID: 'site-user-42' },
    '/socialize.notifyLogin': { ...server, siteUID: 'site-user-42' },
  };
  const sig = await createUIDSignature({ secret, siteUID: 'site-user-42' });
  const staleSig = await createUIDSignature({ secret, siteUID: 'site-user-42', timestamp: now() - 400 });
  for (const [path, base] of Object.entries(bases)) {
    const mutations: Record<string, string | undefined>[] = [
      {},
      { cid: 'checkout', context: 'ctx-1', format: 'json', httpStatusCodes: 'false' },
      { sdk: 'js_test', checkParams: 'false', extraneous: '1' },
      { checkParams: 'true', extraneous: '1' },
      { httpStatusCodes: 'true' },
      { httpStatusCodes: 'true', siteUID: 'x'.repeat(253) },
      { httpStatusCodes: 'maybe' },
      { siteUID: undefined },
      { siteUID: '' },
      { siteUID: 'x'.repeat(252) },
      { siteUID: 'x'.repeat(253) },
      { siteUID: 'Zoë' },
      { siteUID: 'with space+plus&amp' },
      { UID: undefined },
      { UID: 'site-user-42' },
      { cid: 'c'.repeat(101) },
      { format: 'xml' },
      { format: 'jsonp', callback: 'cb' },
      { format: 'jsonp', callback: '1bad' },
      { apiKey: undefined },
      { apiKey: '' },
      { apiKey: '3_wrong' },
      { secret: undefined },
      { secret: 'AAECAwQFBgcICQoLDA0ODw==' },
      { secret: 'not base64' },
      { userKey: 'AKEY' },
      { secret: undefined, UIDSig: sig.UIDSig, UIDTimestamp: sig.UIDTimestamp },
      { secret: undefined, UIDSig: sig.UIDSig },
      { secret: undefined, UIDSig: sig.UIDSig, UIDTimestamp: staleSig.UIDTimestamp },
      { secret: undefined, UIDSig: staleSig.UIDSig, UIDTimestamp: staleSig.UIDTimestamp },
      { secret: undefined, UIDSig: 'not-a-signature', UIDTimestamp: sig.UIDTimestamp },
      { secret: undefined, UIDTimestamp: 'yesterday' },
      { secret: undefined, sig: 'UqkbOg8eT/chfB7FQQdiC8nYDhs=' },
      { secret: undefined, oauth_token: 'st2.forged.token' },
      { phoneNumber: '+14155550123' },
      { phoneNumber: '555-0123' },
      { signature: 'old' },
    ];
    if (path === '/socialize.notifyLogin') {
      mutations.push(
        { targetEnv: 'mobile' },
        { targetEnv: 'mobile', sessionExpiration: '3600' },
        { targetEnv: 'tv' },
        { newUser: 'true', regSource: 'https://e.x/r', lang: 'en', skipValidation: 'false' },
        { newUser: '1' },
        { sessionExpiration: '-2' },
        { sessionExpiration: '-3' },
        { sessionExpiration: '1.5' },
        { sessionExpiration: 'forever' },
        { sessionExpiration: '0x10' },
        { sessionExpiration: ' 12' },
        { newUser: 'TRUE' },
        { userInfo: JSON.stringify({ firstName: 'Ann', lastName: 'Lee', gender: 'f', age: 30, email: 'ann@example.com' }) },
        { userInfo: '{"firstName": "Ann"' },
        { userInfo: '{"age": -1}' },
        { userInfo: '{"gender": "x"}' },
        { userInfo: '{"email": "not-an-email"}' },
        { userInfo: '{"thumbnailURL": "https://e.x/t.jpg"}' },
        { userInfo: '{"unknown": 1}' },
        { userInfo: 'null' },
        { userInfo: '' },
        { siteUID: undefined, providerSessions: JSON.stringify({ facebook: { authToken: 'tok en+/=&', tokenExpiration: '1893456000' } }) },
        { siteUID: undefined, providerSessions: JSON.stringify({ twitter: { code: 'c0de' }, yahoo: { authToken: 'y' } }) },
        { providerSessions: JSON.stringify({ facebook: { authToken: 'tok' } }) },
        { siteUID: undefined, providerSessions: '{}' },
        { siteUID: undefined, providerSessions: '{"facebook":{}}' },
        { siteUID: undefined, providerSessions: '{"facebook":{"authToken":"a","code":"b"}}' },
        { siteUID: undefined, providerSessions: '{"myspace":{"authToken":"a"}}' },
        { siteUID: undefined, providerSessions: 'facebook' },
        { actionAttributes: JSON.stringify({ tags: ['a', 'b'], show: 'glee' }) },
        { actionAttributes: JSON.stringify({ a: '1', b: '2', c: '3', d: '4' }) },
        { actionAttributes: JSON.stringify({ tags: [] }) },
        { actionAttributes: '[1,2]' },
      );
    }
    for (const mutation of mutations) {
      const fields: Record<string, string> = { ...base };
      for (const [name, value] of Object.entries(mutation)) {
        if (value === undefined) delete fields[name];
        else fields[name] = value;
      }
      cases.push(form(path, fields));
    }
    // Scenarios, by header and query, known and unknown.
    for (const name of ['success', 'missingParameter', 'requestExpired', 'pendingRegistration', 'nope']) {
      cases.push(form(path, base, { headers: { prefer: `example=${name}` } }));
      cases.push(form(path, base, { query: { __example: name } }));
    }
    cases.push(form(path, { ...base, siteUID: 'x'.repeat(300) }, { query: { __example: 'success' } }));
    // Bodies and headers in unusual shapes.
    const body = new URLSearchParams(base).toString();
    cases.push(raw('empty body', path, { method: 'POST', body: '' }));
    cases.push(raw('only separators', path, { method: 'POST', body: '&&=&' }));
    cases.push(raw('charset', path, { method: 'POST', body, headers: { 'content-type': 'application/x-www-form-urlencoded; charset=UTF-8' } }));
    cases.push(raw('upper-case type', path, { method: 'POST', body, headers: { 'content-type': 'Application/X-WWW-Form-URLEncoded' } }));
    cases.push(raw('json type', path, { method: 'POST', body: JSON.stringify(base), headers: { 'content-type': 'application/json' } }));
    cases.push(raw('text type', path, { method: 'POST', body, headers: { 'content-type': 'text/plain;charset=UTF-8' } }));
    cases.push(raw('multipart type', path, { method: 'POST', body, headers: { 'content-type': 'multipart/form-data; boundary=x' } }));
    cases.push(raw('no type', path, { method: 'POST', body, headers: { 'content-type': '' } }));
    cases.push(raw('plus for space', path, { method: 'POST', body: body.replace('site-user-42', 'site+user') }));
    cases.push(raw('bad percent', path, { method: 'POST', body: `${body}&cid=%G1` }));
    cases.push(raw('not UTF-8', path, { method: 'POST', body: Buffer.concat([Buffer.from(`${body}&cid=`), Buffer.from([0xc3, 0x28])]) }));
    cases.push(raw('repeated', path, { method: 'POST', body: `${body}&cid=a&cid=b` }));
    cases.push(raw('GET', path, { method: 'GET' }));
    cases.push(raw('PUT', path, { method: 'PUT', body }));
    cases.push(raw('bearer', path, { method: 'POST', body, headers: { authorization: 'Bearer x.y.z' } }));
    // A signed request: the same one to each server (each keeps its own nonces).
    const params = { ...base, timestamp: String(now()), nonce: `parity-${path}` } as Record<string, string>;
    delete params.secret;
    cases.push(raw('signed', path, { method: 'POST', body: { ...params, sig: '' } }));
  }
  // socialize.login
  const login = { x_provider: 'facebook', client_id: apiKey, redirect_uri: 'https://www.example.com/done', response_type: 'token', state: 's1' };
  const loginMutations: Record<string, string | undefined>[] = [
    {},
    { response_type: 'code' },
    { redirect_uri: 'https://www.example.com/done?x=1' },
    { redirect_uri: undefined },
    { redirect_uri: 'relative/path' },
    { redirect_uri: 'javascript:alert(1)' },
    { redirect_uri: 'https://e.x/#f' },
    { x_provider: undefined },
    { x_provider: 'saml-corp' },
    { x_provider: 'myspace' },
    { client_id: undefined },
    { client_id: '3_wrong' },
    { response_type: undefined },
    { response_type: 'id_token' },
    { state: undefined },
    { x_cid: 'c'.repeat(101) },
    { x_session_expiration: '3600', finalizeRegistration: 'true', x_displayMode: 'popup' },
    { x_displayMode: 'fullscreen' },
    { x_displayMode: '' },
    { finalizeRegistration: 'yes' },
    { x_session_expiration: '1e3' },
    { redirect_uri: 'https://a.example??' },
    { httpStatusCodes: 'true', redirect_uri: undefined },
    { unknown: '1' },
  ];
  for (const mutation of loginMutations) {
    const query: Record<string, string> = { ...login };
    for (const [name, value] of Object.entries(mutation)) {
      if (value === undefined) delete query[name];
      else query[name] = value;
    }
    cases.push(raw(`login ${JSON.stringify(mutation)}`, '/socialize.login', { query }));
  }
  for (const name of ['invalidRedirectUri', 'invalidApiKey', 'nope']) {
    cases.push(raw(`login example ${name}`, '/socialize.login', { query: { ...login, __example: name } }));
  }
  cases.push(raw('unknown method', '/socialize.getUserInfo', { method: 'POST', body: { apiKey } }));
  cases.push(raw('root', '/', {}));
  cases.push(raw('path with query only', '/socialize.setUID?', { method: 'POST', body: bases['/socialize.setUID']! }));
  cases.push(...stateCases(server));
  return cases;
}

// What the accounts make right or wrong (the same sequence on both servers), booleans as the SDKs spell
// them, and user keys.
function stateCases(server: { apiKey: string; secret: string }): Case[] {
  const sessions = JSON.stringify({ facebook: { authToken: 'parity-token', providerUID: 'parity-fb' } });
  return [
    form('/socialize.setUID', { ...server, UID: '_gid_nobody', siteUID: 'site-nobody' }),
    form('/socialize.notifyLogin', { ...server, siteUID: 'parity-other' }),
    form('/socialize.setUID', { ...server, UID: '_gid_abc', siteUID: 'parity-other' }),
    form('/socialize.setUID', { ...server, UID: '_gid_abc', siteUID: '_gid_abc' }),
    form('/socialize.notifyRegistration', { ...server, UID: '_gid_abc' }),
    form('/socialize.notifyRegistration', { ...server, UID: 'parity-other', siteUID: 'parity-third' }),
    form('/socialize.notifyLogin', { ...server, siteUID: 'parity-p1', providerSessions: sessions }),
    form('/socialize.notifyLogin', { ...server, siteUID: 'parity-p2', providerSessions: sessions }),
    form('/socialize.notifyLogin', { ...server, providerSessions: sessions, userInfo: '{"firstName":"Par","age":41}' }),
    ...['True', 'False', '1', '0', 'TRUE', 'yes'].map((text) =>
      form('/socialize.notifyLogin', { ...server, siteUID: 'parity-bool', newUser: text, httpStatusCodes: text }),
    ),
    form('/socialize.setUID', { ...server, UID: 'parity-other', siteUID: 'parity-other', checkParams: 'True', extra: '1' }),
    form('/socialize.setUID', {
      apiKey,
      userKey: 'AMockUserKey',
      secret: 'c29jaWFsaXplLW1vY2sgdXNlciBrZXksIHRlc3Qgb25seQ==',
      UID: 'parity-other',
      siteUID: 'parity-other',
    }),
    form('/socialize.setUID', { apiKey, userKey: 'AMockUserKey', secret, UID: 'parity-other', siteUID: 'parity-other' }),
    form('/socialize.setUID', { apiKey, userKey: 'nope', secret, UID: 'parity-other', siteUID: 'parity-other' }),
  ];
}

// What differs on every answer, whichever path made it.
function normalize(reply: Reply): unknown {
  const body = structuredClone(reply.body);
  for (const key of ['callId', 'time', 'signatureTimestamp', 'UIDSignature']) if (key in body) body[key] = `<${key}>`;
  if (body.user) {
    for (const key of ['signatureTimestamp', 'UIDSignature']) if (key in body.user) body.user[key] = `<${key}>`;
    for (const identity of body.user.identities ?? []) identity.lastLoginTime = '<lastLoginTime>';
  }
  let location = reply.headers.location;
  if (location) {
    const url = new URL(location);
    for (const key of ['signatureTimestamp', 'UIDSignature']) if (url.searchParams.has(key)) url.searchParams.set(key, `<${key}>`);
    location = url.toString();
  }
  const text = reply.headers['content-type']?.startsWith('application/javascript')
    ? reply.text.replace(/"(callId|time)":"[^"]*"/g, '"$1":"<$1>"')
    : undefined;
  return { status: reply.status, type: reply.headers['content-type'], location, body, text };
}

async function send(server: MockServer, c: Case): Promise<Reply> {
  let options = c.options;
  // Sign for the server the request goes to (the URL is part of what is signed).
  if (
    c.label === 'signed' &&
    options.body &&
    typeof options.body === 'object' &&
    !(options.body instanceof URLSearchParams) &&
    !Buffer.isBuffer(options.body)
  ) {
    const { sig: _sig, ...params } = options.body as Record<string, string>;
    const sig = await signRequest({ secret, method: 'POST', url: `${server.url}${c.path}`, params });
    options = { ...options, body: { ...params, sig } };
  }
  return call(server.url, c.path, options);
}

test('prismOnly and the shipped mock answer a varied corpus identically', async () => {
  const cases = await corpus();
  expect(cases.length).toBeGreaterThan(150);
  const before = { ...shipped.counts };
  const differences: string[] = [];
  const outcomes = new Set<string>();
  for (const c of cases) {
    const [a, b] = await Promise.all([send(prismOnly, c), send(shipped, c)]);
    for (const reply of [a, b]) {
      const { UID, UIDSignature, signatureTimestamp } = reply.body;
      if (typeof UIDSignature === 'string') {
        await expect(validateUIDSignature({ secret, UID, UIDSignature, signatureTimestamp }), c.label).resolves.toBe(true);
      }
    }
    const [x, y] = [normalize(a), normalize(b)];
    if (JSON.stringify(x) !== JSON.stringify(y)) differences.push(`${c.label}\n  prismOnly: ${JSON.stringify(x)}\n  shipped:   ${JSON.stringify(y)}`);
    outcomes.add(a.status === 302 ? '302' : a.headers['content-type']?.startsWith('application/javascript') ? 'jsonp' : String(a.body.errorCode));
    if (c.label === 'signed') expect(a.body.errorCode, `${c.path} signed`).toBe(0);
  }
  expect(differences, differences.join('\n')).toEqual([]);
  console.log(`parity: ${cases.length} requests, outcomes ${[...outcomes].sort().join(' ')}`);
  // The corpus reaches both paths and many outcomes.
  expect(shipped.counts.fastPath - before.fastPath).toBeGreaterThan(40);
  expect(shipped.counts.prism - before.prism).toBeGreaterThan(40);
  expect(prismOnly.counts.fastPath).toBe(0);
  // The state's own errors too: unknown UID, a siteUID another account holds, an identity of another account.
  for (const code of [
    '0',
    'jsonp',
    '302',
    '400001',
    '400002',
    '400003',
    '400004',
    '400006',
    '400011',
    '400012',
    '400093',
    '403002',
    '403003',
    '403005',
    '403007',
    '403025',
    '404000',
    '409001',
    '206001',
  ]) {
    expect(outcomes, `outcome ${code}`).toContain(code);
  }
});
