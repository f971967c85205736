// Property-based test of the real mock server (startMockServer on port 0, real HTTP over loopback): fast-check
// generates thousands of requests for the four methods, valid ones (any subset of the optional parameters,
// every way to authenticate, non-ASCII and edge-length values, unknown parameters) and invalid ones (one
// defect each: a required parameter missing, a value too long, not ASCII, of the wrong type, bad JSON in a
// JSON field, a forged or stale signature, a reused nonce, a wrong secret), plus requests outside the API
// (scenario names, wrong methods, paths and content types). For every answer:
//   - HTTP 200, unless the request set httpStatusCodes=true (then the body's statusCode) or it is the login's
//     302 redirect;
//   - the JSON body validates against the contract's response schema for that operation (Ajv 2020 over
//     generated/openapi.yaml), or against ErrorResponse when the request reached no operation;
//   - a valid request gets errorCode 0; an invalid one a non-zero errorCode whose errorDetails names the
//     offending parameter.
import { createHmac } from 'node:crypto';
import { request as httpRequest, Agent } from 'node:http';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUIDSignature, parseLoginRedirect, signRequest } from '../../src/index.js';
import { startMockServer, type MockServer } from '../../src/mock/index.js';
import { contract, deref, gigyaPaths, pointerOf, validatorAt } from '../contract/contract-helpers.js';

// Runs per property; their sum is the number of requests (at least 2,000).
const RUNS = { valid: 900, invalid: 900, outside: 400, scenarios: 200 };
const TOTAL_REQUESTS = Object.values(RUNS).reduce((a, b) => a + b, 0);

type Method = 'socialize.setUID' | 'socialize.notifyRegistration' | 'socialize.notifyLogin' | 'socialize.login';
const FORM_METHODS = ['socialize.setUID', 'socialize.notifyRegistration', 'socialize.notifyLogin'] as const;
type FormMethod = (typeof FORM_METHODS)[number];

const responseSchema = {
  'socialize.setUID': validatorAt(pointerOf('paths', '/socialize.setUID', 'post', 'responses', '200', 'content', 'application/json', 'schema')),
  'socialize.notifyRegistration': validatorAt(
    pointerOf('paths', '/socialize.notifyRegistration', 'post', 'responses', '200', 'content', 'application/json', 'schema'),
  ),
  'socialize.notifyLogin': validatorAt(
    pointerOf('paths', '/socialize.notifyLogin', 'post', 'responses', '200', 'content', 'application/json', 'schema'),
  ),
  'socialize.login': validatorAt(pointerOf('paths', '/socialize.login', 'get', 'responses', '200', 'content', 'application/json', 'schema')),
};
const errorSchema = validatorAt(pointerOf('components', 'schemas', 'ErrorResponse'));

let mock: MockServer;
const agent = new Agent({ keepAlive: true, maxSockets: 4 });
let sent = 0;

// Each generated request meets the same accounts (a reset before each): a pending one that setUID and
// notifyRegistration name by UID, and a final one whose session client-side calls (UIDSig) are made in.
const ACCOUNTS = [
  { gigyaUID: '_gid_pending', registration: 'pending' as const },
  { gigyaUID: '_gid_linked', siteUID: 'site-user-linked' },
];

/** The session token of the linked account: a UIDSig call on setUID or notifyRegistration is made in it. */
let linkedSession: string;

beforeAll(async () => {
  mock = await startMockServer({ port: 0, accounts: ACCOUNTS });
  const res = await send({
    method: 'POST',
    path: '/socialize.notifyLogin',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ apiKey: mock.apiKey, secret: mock.secret, siteUID: 'site-user-linked', targetEnv: 'mobile' }).toString(),
  });
  linkedSession = JSON.parse(res.text).sessionInfo.sessionToken;
  expect(linkedSession).toMatch(/^st2\./);
});

async function resetAccounts(): Promise<void> {
  const res = await send({
    method: 'POST',
    path: '/__mock/resetSite',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ apiKey: mock.apiKey, secret: mock.secret }).toString(),
  });
  expect(JSON.parse(res.text).errorCode).toBe(0);
}
afterAll(async () => {
  agent.destroy();
  await mock?.close();
});

// ---------------------------------------------------------------------------------------------------------
// HTTP

interface Sent {
  method: string;
  path: string;
  query?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
}
interface Received {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

function send({ method, path, query, headers = {}, body }: Sent): Promise<Received> {
  sent++;
  const url = new URL(mock.url);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: url.hostname,
        port: url.port,
        method,
        path: query ? `${path}?${query}` : path,
        agent,
        headers: body === undefined ? headers : { 'content-length': Buffer.byteLength(body), ...headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.setTimeout(10_000, () => req.destroy(new Error('no answer within 10 s')));
    req.end(body);
  });
}

const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
const FORM_TYPE = { 'content-type': 'application/x-www-form-urlencoded' };

/** A readable record of a request and its answer, for failure messages (the secret masked). */
function describeExchange(req: Sent, res: Received): string {
  const mask = (s: string) => s.split(mock.secret).join('<secret>').split(encodeURIComponent(mock.secret)).join('<secret>');
  const body = req.body === undefined ? '' : Buffer.isBuffer(req.body) ? `<${req.body.length} bytes>` : mask(req.body).slice(0, 600);
  return `${req.method} ${req.path}${req.query ? `?${mask(req.query).slice(0, 400)}` : ''} ${JSON.stringify(req.headers ?? {})} ${body}\n→ HTTP ${res.status} ${res.text.slice(0, 800)}`;
}

/**
 * The checks every answer passes: status rule, JSON body, schema of the operation (or ErrorResponse), and
 * the secret never echoed. Returns the parsed body.
 */
function checkAnswer(req: Sent, res: Received, operation: Method | undefined, httpStatusCodes: boolean, jsonpCallback?: string): any {
  const where = describeExchange(req, res);
  expect(res.text.includes(mock.secret), `the answer repeats the secret\n${where}`).toBe(false);
  let json = res.text;
  if (jsonpCallback === undefined) {
    expect(String(res.headers['content-type']), where).toMatch(/^application\/json/);
  } else {
    // format=jsonp: the same JSON, wrapped in a call to the callback.
    expect(String(res.headers['content-type']), where).toMatch(/^(application|text)\/javascript/);
    expect(res.text.startsWith(`${jsonpCallback}(`), where).toBe(true);
    expect(res.text, where).toMatch(/\);?$/);
    json = res.text.slice(jsonpCallback.length + 1).replace(/\);?$/, '');
  }
  let body: any;
  expect(() => (body = JSON.parse(json)), `not JSON\n${where}`).not.toThrow();
  const validate = operation ? responseSchema[operation] : errorSchema;
  expect(validate(body), `${JSON.stringify(validate.errors)}\n${where}`).toBe(true);
  expect(res.status, `HTTP status\n${where}`).toBe(httpStatusCodes ? body.statusCode : 200);
  return body;
}

// ---------------------------------------------------------------------------------------------------------
// Values

const KNOWN = new Set<string>();
for (const op of Object.values<any>(gigyaPaths)) {
  for (const m of Object.values<any>(op)) {
    for (const p of m.parameters ?? []) KNOWN.add(p.name);
  }
}
for (const name of ['Credentials', 'CommonParameters', 'SetUIDRequest', 'NotifyRegistrationRequest', 'NotifyLoginRequest']) {
  const visit = (s: any) => {
    if (!s || typeof s !== 'object') return;
    for (const key of Object.keys(s.properties ?? {})) KNOWN.add(key);
    for (const part of [...(s.allOf ?? []), ...(s.oneOf ?? [])]) visit(part);
  };
  visit(contract.components.schemas[name]);
}

const asciiText = (min: number, max: number) => fc.string({ unit: 'binary-ascii', minLength: min, maxLength: max });
/**
 * Any Unicode text, its length counted in code points as JSON Schema's maxLength counts it (astral
 * characters are one code point but two UTF-16 units; a combining mark is a code point of its own).
 */
const anyText = (min: number, max: number) => fc.string({ unit: 'binary', minLength: min, maxLength: max });
/** Text with at least one character outside ASCII. */
const nonAscii = fc
  .tuple(
    asciiText(0, 20),
    fc.string({ unit: 'grapheme', minLength: 1, maxLength: 5 }).filter((s) => /\P{ASCII}/u.test(s)),
    asciiText(0, 20),
  )
  .map(([a, b, c]) => a + b + c);
const siteUID = fc.oneof(asciiText(1, 40), asciiText(240, 252), fc.constantFrom('site-user-42', 'a', 'x'.repeat(252)));
// The UID of an account the mock holds (one it does not know is refused: 403005; the lifecycle property tests that).
const UID = fc.constant('_gid_pending');
// Booleans as the official SDKs send them: true/false, Python's True/False, PHP's 1/0.
const bool = fc.constantFrom('true', 'false', 'True', 'False', '1', '0');
/** Parameter names the API does not know. */
const unknownName = fc.stringMatching(/^[a-z][a-zA-Z0-9_]{0,15}$/).filter((n) => !KNOWN.has(n) && !n.startsWith('__'));

/** Optional members, each present or not. */
function optional<T extends Record<string, fc.Arbitrary<string>>>(members: T): fc.Arbitrary<Partial<Record<keyof T, string>>> {
  return fc.record(members, { requiredKeys: [] }) as fc.Arbitrary<Partial<Record<keyof T, string>>>;
}

/** The rendering: default, `format=json`, or `format=jsonp` with the callback the answer calls. */
const rendering = fc.oneof(
  fc.constant({}),
  fc.constant({ format: 'json' }),
  fc.stringMatching(/^[A-Za-z_$][A-Za-z0-9_$.]{0,30}$/).map((callback) => ({ format: 'jsonp', callback })),
);
const commonOptional = optional({
  context: anyText(0, 60),
  httpStatusCodes: bool,
  checkParams: fc.constant('false'),
  sdk: asciiText(0, 100),
  cid: fc.oneof(anyText(0, 30), anyText(100, 100)),
});
const common = fc.tuple(rendering, commonOptional).map(([r, c]) => ({ ...r, ...c }) as Record<string, string>);

const userInfo = fc
  .record(
    {
      nickname: anyText(0, 20),
      photoURL: fc.webUrl(),
      firstName: anyText(0, 20),
      lastName: anyText(0, 20),
      gender: fc.constantFrom('m', 'f', 'u'),
      age: fc.integer({ min: 0, max: 150 }),
      email: fc.emailAddress(),
    },
    { requiredKeys: [] },
  )
  .chain((info) =>
    info.photoURL ? fc.option(fc.webUrl(), { nil: undefined }).map((t) => (t ? { ...info, thumbnailURL: t } : info)) : fc.constant(info),
  );

const providerSession = fc.oneof(
  fc.record(
    { authToken: anyText(1, 30), tokenSecret: anyText(0, 20), tokenExpiration: fc.nat().map(String), providerUID: anyText(1, 20) },
    { requiredKeys: ['authToken'] },
  ),
  fc.record({ code: anyText(1, 30), providerUID: anyText(1, 20) }, { requiredKeys: ['code'] }),
);
const providerSessions = fc.dictionary(fc.constantFrom('facebook', 'twitter', 'yahoo', 'linkedin', 'googleplus', 'apple'), providerSession, {
  minKeys: 1,
  maxKeys: 3,
});
const actionAttributes = fc.dictionary(
  fc.stringMatching(/^[a-z][a-z-]{0,10}$/),
  fc.oneof(anyText(0, 10), fc.array(anyText(0, 10), { minLength: 1, maxLength: 3 })),
  { maxKeys: 3 },
);

// ---------------------------------------------------------------------------------------------------------
// Valid requests

type Auth = 'secret' | 'UIDSig' | 'signed';
interface Plan {
  operation: Method;
  auth?: Auth;
  params: Record<string, string>;
  /** Parameters the method does not know, sent along; the answer lists them in ignoredParams. */
  unknown?: string[];
}

function ownParams(operation: FormMethod): fc.Arbitrary<Record<string, string>> {
  switch (operation) {
    case 'socialize.setUID':
      return fc.record({ siteUID }).chain((req) => optional({ cid: anyText(0, 100) }).map((o) => ({ ...req, ...o }) as Record<string, string>));
    case 'socialize.notifyRegistration':
      return optional({ siteUID, cid: anyText(0, 100) }) as fc.Arbitrary<Record<string, string>>;
    case 'socialize.notifyLogin':
      return fc
        .oneof(
          fc.record({ siteUID }),
          fc.record({ providerSessions: providerSessions.map((s) => JSON.stringify(s)) }),
          fc.record({ siteUID, providerSessions: providerSessions.map((s) => JSON.stringify(s)) }),
        )
        .chain((req) =>
          optional({
            newUser: bool,
            sessionExpiration: fc.oneof(fc.constantFrom('0', '-1', '-2'), fc.integer({ min: 1, max: 2 ** 31 - 1 }).map(String)),
            targetEnv: fc.constantFrom('browser', 'mobile'),
            userInfo: userInfo.map((u) => JSON.stringify(u)),
            actionAttributes: actionAttributes.map((a) => JSON.stringify(a)),
            regSource: fc.webUrl(),
            lang: fc.constantFrom('en', 'de', 'he', 'zh-cn'),
            cid: anyText(0, 100),
            skipValidation: bool,
          }).map((o) => ({ ...req, ...o }) as Record<string, string>),
        );
  }
}

const validFormPlan: fc.Arbitrary<Plan> = fc
  .constantFrom(...FORM_METHODS)
  .chain((operation) =>
    fc.record({
      operation: fc.constant(operation),
      own: ownParams(operation),
      common,
      auth: fc.constantFrom<Auth>('secret', 'UIDSig', 'signed'),
      UID,
      unknown: fc.dictionary(unknownName, anyText(0, 20), { maxKeys: 2 }),
    }),
  )
  .map(({ operation, own, common: c, auth, UID: uid, unknown }) => {
    const params: Record<string, string> = { ...unknown, ...c, ...own };
    // A UIDSig signs a siteUID, so that way needs one; a server call on a user names the UID.
    if (auth === 'UIDSig' && params.siteUID === undefined) params.siteUID = 'site-user-42';
    // From the user's session (its oauth_token, added with the UIDSig), setUID and notifyRegistration act
    // on the session's account, which already has this siteUID.
    if (auth === 'UIDSig' && operation !== 'socialize.notifyLogin') params.siteUID = 'site-user-linked';
    // The contract asks for a siteUID that differs from the Gigya UID.
    if (auth !== 'UIDSig' && operation !== 'socialize.notifyLogin') params.UID = uid === params.siteUID ? `_gid_${uid}` : uid;
    return { operation, auth, params, unknown: Object.keys(unknown) };
  });

const loginPlan: fc.Arbitrary<Plan> = fc
  .record({
    required: fc.record({
      x_provider: fc.oneof(
        fc.constantFrom('facebook', 'twitter', 'googleplus', 'linkedin', 'apple', 'messenger', 'microsoft', 'yahoojapan', 'wechat'),
        fc.stringMatching(/^(saml|oidc)-[A-Za-z0-9_.-]{1,20}$/),
      ),
      redirect_uri: fc.oneof(
        fc.webUrl({ validSchemes: ['https', 'http'], withQueryParameters: true }),
        fc.constant('https://example.com/login/done'),
      ),
      response_type: fc.constantFrom('token', 'code'),
    }),
    extra: optional({
      state: anyText(1, 100),
      x_cid: anyText(0, 100),
      finalizeRegistration: bool,
      x_session_expiration: fc.oneof(fc.constantFrom('0', '-1', '-2'), fc.nat().map(String)),
      x_lang: fc.constantFrom('en', 'fr'),
      x_forceAuthentication: bool,
      x_displayMode: fc.constantFrom('popup', 'page', 'touch'),
    }),
  })
  .map(({ required, extra }) => ({ operation: 'socialize.login' as const, params: { ...required, ...extra } }));

let nonces = 0;
type Mutation = (params: Record<string, string>) => Record<string, string> | Promise<Record<string, string>>;

/** UIDSig of a siteUID: the package's createUIDSignature, or by hand for a siteUID it refuses to sign. */
async function uidSig(siteUID: string, timestamp = Math.floor(Date.now() / 1000)): Promise<{ UIDSig: string; UIDTimestamp: string }> {
  try {
    return await createUIDSignature({ secret: mock.secret, siteUID, timestamp });
  } catch {
    const UIDSig = createHmac('sha1', Buffer.from(mock.secret, 'base64')).update(`${timestamp}_${siteUID}`, 'utf8').digest('base64');
    return { UIDSig, UIDTimestamp: String(timestamp) };
  }
}

/**
 * The request's parameters: the plan's, the API key, then `beforeAuth` (a defect in the parameters, which a
 * signature then covers), then the credentials of the plan's way of authenticating, then `afterAuth` (a
 * defect in the credentials).
 */
async function withCredentials(plan: Plan, beforeAuth?: Mutation, afterAuth?: Mutation): Promise<Record<string, string>> {
  let params: Record<string, string> =
    plan.operation === 'socialize.login' ? { client_id: mock.apiKey, ...plan.params } : { apiKey: mock.apiKey, ...plan.params };
  if (beforeAuth) params = await beforeAuth(params);
  switch (plan.auth) {
    case 'secret':
      params = { ...params, secret: mock.secret };
      break;
    case 'UIDSig':
      params = { ...params, ...(await uidSig(params.siteUID!)) };
      if (plan.operation !== 'socialize.notifyLogin') params.oauth_token = linkedSession;
      break;
    case 'signed': {
      const signed = { ...params, timestamp: String(Math.floor(Date.now() / 1000)), nonce: `prop_${process.pid}_${Date.now()}_${++nonces}` };
      const sig = await signRequest({ secret: mock.secret, method: 'POST', url: `${mock.url}/${plan.operation}`, params: signed });
      params = { ...signed, sig };
      break;
    }
    default:
      break;
  }
  return afterAuth ? afterAuth(params) : params;
}

/** The callback a jsonp answer must call, when the request asked for one that is valid. */
function jsonpOf(params: Record<string, string>): string | undefined {
  return params.format === 'jsonp' && params.callback !== undefined && /^[A-Za-z_$][A-Za-z0-9_$.]{0,99}$/.test(params.callback)
    ? params.callback
    : undefined;
}

/** The request of a plan as its operation expects it: a form POST, or the login's GET with a query. */
function planRequest(operation: Method, params: Record<string, string>, extra: Partial<Sent> = {}): Sent {
  return operation === 'socialize.login'
    ? { method: 'GET', path: `/${operation}`, query: form(params), ...extra }
    : { method: 'POST', path: `/${operation}`, headers: FORM_TYPE, body: form(params), ...extra };
}

// ---------------------------------------------------------------------------------------------------------
// Invalid requests: a valid plan with exactly one defect, and the parameter the answer must name.

interface Defect {
  /** A short name of the defect, for messages. */
  what: string;
  /** The parameter errorDetails must name. */
  names: readonly string[];
  apply: Mutation;
  /** A defect in the credentials is made after signing; any other before, so that a signature covers it. */
  auth?: true;
}

const without =
  (...names: string[]) =>
  (p: Record<string, string>) => {
    const copy = { ...p };
    for (const n of names) delete copy[n];
    return copy;
  };
const set = (name: string, value: string) => (p: Record<string, string>) => ({ ...p, [name]: value });

const tooLongSiteUID = fc.integer({ min: 253, max: 600 }).chain((n) => asciiText(n, n));
const notAnInteger = fc.oneof(
  fc.constantFrom('abc', '1.5', '', ' 12', '12 ', '+12', '1e3', 'NaN', 'Infinity', '0x10'),
  anyText(1, 8).filter((s) => !/^-?\d+$/.test(s)),
);
const notBoolean = fc.constantFrom('yes', 'no', '2', '-1', 'TRUE', 'FALSE', 'tRUE', '', 'null', 'true ', '01');
const badJson = fc.oneof(
  fc.constantFrom('{', '{"firstName":', "{'a':1}", 'undefined', '[1,2', '{"a":1}}', 'nul'),
  anyText(1, 20).filter((s) => {
    try {
      JSON.parse(s);
      return false;
    } catch {
      return true;
    }
  }),
);

function defectsFor(operation: FormMethod, auth: Auth): fc.Arbitrary<Defect>[] {
  const list: fc.Arbitrary<Defect>[] = [
    tooLongSiteUID.map((v) => ({ what: 'siteUID too long', names: ['siteUID'], apply: set('siteUID', v) })),
    nonAscii.map((v) => ({ what: 'siteUID not ASCII', names: ['siteUID'], apply: set('siteUID', v) })),
    fc
      .integer({ min: 101, max: 300 })
      .chain((n) => asciiText(n, n))
      .map((v) => ({ what: 'cid too long', names: ['cid'], apply: set('cid', v) })),
    notBoolean.map((v) => ({ what: 'httpStatusCodes not boolean', names: ['httpStatusCodes'], apply: set('httpStatusCodes', v) })),
    fc.constantFrom('xml', 'JSON', 'html', '').map((v) => ({ what: 'format not allowed', names: ['format'], apply: set('format', v) })),
    asciiText(1, 20).map((v) => ({ what: 'unknown apiKey', names: ['apiKey'], apply: set('apiKey', `3_unknown${v}`) })),
    unknownName.map((name) => ({
      what: 'checkParams=true with an unknown parameter',
      names: [name],
      apply: (p: Record<string, string>) => ({ ...p, checkParams: 'true', [name]: 'x' }),
    })),
  ];
  // A call in the user's session carries its oauth_token, which names the site without an API key.
  if (auth !== 'UIDSig' || operation === 'socialize.notifyLogin') {
    list.push(fc.constant<Defect>({ what: 'apiKey missing', names: ['apiKey'], apply: without('apiKey') }));
  }
  // Without siteUID a UIDSig has nothing to sign, so these two are for the server's ways of authenticating.
  if (operation === 'socialize.setUID' && auth !== 'UIDSig') {
    list.push(fc.constant<Defect>({ what: 'siteUID missing', names: ['siteUID'], apply: without('siteUID') }));
  }
  if (operation === 'socialize.notifyLogin' && auth !== 'UIDSig') {
    list.push(
      fc.constant<Defect>({
        what: 'siteUID and providerSessions missing',
        names: ['siteUID', 'providerSessions'],
        apply: without('siteUID', 'providerSessions'),
      }),
    );
  }
  if (operation === 'socialize.notifyLogin') {
    list.push(
      notInteger('sessionExpiration'),
      fc
        .integer({ min: -1000, max: -3 })
        .map((v) => ({ what: 'sessionExpiration below -2', names: ['sessionExpiration'], apply: set('sessionExpiration', String(v)) })),
      notBoolean.map((v) => ({ what: 'newUser not boolean', names: ['newUser'], apply: set('newUser', v) })),
      fc.constantFrom('tv', 'Browser', 'web', '').map((v) => ({ what: 'targetEnv not allowed', names: ['targetEnv'], apply: set('targetEnv', v) })),
      badJson.map((v) => ({ what: 'userInfo bad JSON', names: ['userInfo'], apply: set('userInfo', v) })),
      fc
        .constantFrom(
          '[]',
          '"David"',
          '42',
          'null',
          '{"age":"thirty"}',
          '{"age":-1}',
          '{"gender":"x"}',
          '{"favouriteColour":"blue"}',
          '{"email":"not an address"}',
          '{"thumbnailURL":"https://example.com/t.png"}',
        )
        .map((v) => ({ what: 'userInfo not a valid UserInfo', names: ['userInfo'], apply: set('userInfo', v) })),
      badJson.map((v) => ({ what: 'providerSessions bad JSON', names: ['providerSessions'], apply: set('providerSessions', v) })),
      fc
        .constantFrom('{}', '{"myspace":{}}', '{"facebook":{}}', '{"facebook":{"authToken":""}}', '[]', '{"facebook":"token"}')
        .map((v) => ({ what: 'providerSessions not valid', names: ['providerSessions'], apply: set('providerSessions', v) })),
      badJson.map((v) => ({ what: 'actionAttributes bad JSON', names: ['actionAttributes'], apply: set('actionAttributes', v) })),
      fc
        .constantFrom('{"a":"1","b":"2","c":"3","d":"4"}', '{"a":[]}', '{"a":["1","2","3","4"]}', '{"a":1}')
        .map((v) => ({ what: 'actionAttributes not valid', names: ['actionAttributes'], apply: set('actionAttributes', v) })),
    );
  }
  if (auth === 'secret') {
    list.push(
      fc
        .constantFrom('AAECAwQFBgcICQoLDA0ODw==', 'd3Jvbmc=', 'not base64!')
        .map((v) => ({ what: 'wrong secret', names: ['secret'], apply: set('secret', v), auth: true as const })),
    );
  }
  if (auth === 'UIDSig') {
    list.push(
      fc.constant<Defect>({
        what: 'UIDSig forged',
        names: ['UIDSig'],
        apply: (p: Record<string, string>) => ({
          ...p,
          UIDSig: p.UIDSig === 'jNQkbuGO6L9nVa0Nt9T6aPlosYQ=' ? 'Fe0xC3T9m4wNQZy2cXb1bHq6Vt8=' : 'jNQkbuGO6L9nVa0Nt9T6aPlosYQ=',
        }),
        auth: true as const,
      }),
      fc.constant<Defect>({ what: 'UIDTimestamp missing', names: ['UIDTimestamp'], apply: without('UIDTimestamp'), auth: true as const }),
      fc.integer({ min: 301, max: 10 ** 6 }).map((age) => ({
        what: 'UIDTimestamp too old',
        names: ['UIDTimestamp'],
        apply: async (p: Record<string, string>) => ({ ...p, ...(await uidSig(p.siteUID!, Math.floor(Date.now() / 1000) - age)) }),
        auth: true as const,
      })),
    );
  }
  if (auth === 'signed') {
    list.push(
      fc.constant<Defect>({
        what: 'sig wrong',
        names: ['sig'],
        apply: (p: Record<string, string>) => ({
          ...p,
          sig: p.sig === 'UqkbOg8eT/chfB7FQQdiC8nYDhs=' ? 'jNQkbuGO6L9nVa0Nt9T6aPlosYQ=' : 'UqkbOg8eT/chfB7FQQdiC8nYDhs=',
        }),
        auth: true as const,
      }),
      fc.constant<Defect>({ what: 'nonce missing', names: ['nonce'], apply: without('nonce'), auth: true as const }),
    );
  }
  return list;
}

function notInteger(name: string): fc.Arbitrary<Defect> {
  return notAnInteger.map((v) => ({ what: `${name} not an integer`, names: [name], apply: set(name, v) }));
}

const loginDefects: fc.Arbitrary<Defect>[] = [
  ...['x_provider', 'client_id', 'redirect_uri', 'response_type'].map((name) =>
    fc.constant<Defect>({ what: `${name} missing`, names: [name], apply: without(name) }),
  ),
  fc
    .constantFrom('myspace', 'Facebook', 'saml-', '')
    .map((v) => ({ what: 'x_provider unknown', names: ['x_provider'], apply: set('x_provider', v) })),
  fc
    .constantFrom('id_token', 'TOKEN', '', 'code token')
    .map((v) => ({ what: 'response_type not allowed', names: ['response_type'], apply: set('response_type', v) })),
  fc
    .constantFrom('example.com/done', '/login/done', 'ftp://example.com/', 'javascript:alert(1)', 'not a url', '')
    .map((v) => ({ what: 'redirect_uri not absolute http(s)', names: ['redirect_uri'], apply: set('redirect_uri', v) })),
  asciiText(1, 20).map((v) => ({ what: 'client_id unknown', names: ['client_id'], apply: set('client_id', `3_unknown${v}`) })),
  fc
    .integer({ min: 101, max: 300 })
    .chain((n) => asciiText(n, n))
    .map((v) => ({ what: 'x_cid too long', names: ['x_cid'], apply: set('x_cid', v) })),
  notBoolean.map((v) => ({ what: 'finalizeRegistration not boolean', names: ['finalizeRegistration'], apply: set('finalizeRegistration', v) })),
  notAnInteger.map((v) => ({ what: 'x_session_expiration not an integer', names: ['x_session_expiration'], apply: set('x_session_expiration', v) })),
];

const invalidPlan = fc.oneof(
  {
    weight: 3,
    arbitrary: validFormPlan.chain((plan) =>
      fc.record({ plan: fc.constant(plan), defect: fc.oneof(...defectsFor(plan.operation as FormMethod, plan.auth!)) }),
    ),
  },
  { weight: 1, arbitrary: fc.record({ plan: loginPlan, defect: fc.oneof(...loginDefects) }) },
);

// ---------------------------------------------------------------------------------------------------------

describe(`the mock answers ${TOTAL_REQUESTS} generated requests as the contract says`, () => {
  it(`valid requests of the four methods (${RUNS.valid}): errorCode 0, or the login's signed redirect`, { timeout: 120_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof({ weight: 3, arbitrary: validFormPlan }, { weight: 1, arbitrary: loginPlan }), async (plan) => {
        await resetAccounts();
        const params = await withCredentials(plan);
        const req = planRequest(plan.operation, params);
        const res = await send(req);
        if (plan.operation === 'socialize.login') {
          const where = describeExchange(req, res);
          expect(res.status, where).toBe(302);
          const location = String(res.headers.location);
          const target = new URL(params.redirect_uri!);
          const landed = new URL(location);
          expect(`${landed.origin}${landed.pathname}`, where).toBe(`${target.origin}${target.pathname}`);
          // The redirect carries the login result, signed with the test secret, and state handed back.
          const result = await parseLoginRedirect(location, { secret: mock.secret, ...(params.state === undefined ? {} : { state: params.state }) });
          expect(result.UID, where).toEqual(expect.any(String));
          // The site's own query parameters survive.
          for (const [name, value] of target.searchParams) expect(landed.searchParams.getAll(name), where).toContain(value);
          return;
        }
        const body = checkAnswer(req, res, plan.operation, ['true', 'True', '1'].includes(params.httpStatusCodes ?? ''), jsonpOf(params));
        expect(body.errorCode, describeExchange(req, res)).toBe(0);
        if (params.context !== undefined) expect(body.context, describeExchange(req, res)).toBe(params.context);
        // Unknown parameters do not fail the call; they are listed in ignoredParams.
        const ignored = (body.ignoredParams ?? []).map((p: { paramName: string }) => p.paramName).sort();
        expect(ignored, describeExchange(req, res)).toEqual([...(plan.unknown ?? [])].sort());
      }),
      { numRuns: RUNS.valid },
    );
  });

  it(`invalid requests (${RUNS.invalid}): a non-zero errorCode whose errorDetails names the parameter`, { timeout: 120_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(invalidPlan, async ({ plan, defect }) => {
        await resetAccounts();
        const params = defect.auth ? await withCredentials(plan, undefined, defect.apply) : await withCredentials(plan, defect.apply);
        const req = planRequest(plan.operation, params);
        const res = await send(req);
        const httpStatusCodes = ['true', 'True', '1'].includes(params.httpStatusCodes ?? '');
        const body = checkAnswer(req, res, plan.operation, httpStatusCodes, jsonpOf(params));
        const where = `${defect.what}\n${describeExchange(req, res)}`;
        expect(body.errorCode, where).not.toBe(0);
        expect(errorSchema(body), where).toBe(true);
        expect(
          defect.names.some((name) => String(body.errorDetails).includes(name)),
          `errorDetails should name ${defect.names.join(' or ')}\n${where}`,
        ).toBe(true);
      }),
      { numRuns: RUNS.invalid },
    );
  });

  it(`requests outside the API (${RUNS.outside}): wrong methods, paths, content types, bodies; always Gigya's error`, {
    timeout: 120_000,
  }, async () => {
    const apiPaths = Object.keys(gigyaPaths);
    const outside = fc.oneof(
      // A known path with a method it does not take.
      fc
        .record({
          method: fc.constantFrom('GET', 'PUT', 'DELETE', 'PATCH', 'POST'),
          path: fc.constantFrom(...apiPaths),
        })
        .filter(({ method, path }) => (path === '/socialize.login' ? method !== 'GET' : method !== 'POST'))
        .map(({ method, path }): [Sent, Method | undefined] => [{ method, path, headers: FORM_TYPE, body: form({ apiKey: 'x' }) }, undefined]),
      // A path the API does not have.
      fc
        .oneof(
          fc.stringMatching(/^\/socialize\.[a-zA-Z]{1,20}$/).filter((p) => !apiPaths.includes(p)),
          fc
            .stringMatching(/^\/[a-z0-9._~-]{0,30}(\/[a-z0-9._~-]{1,10}){0,3}$/)
            .filter((p) => !apiPaths.includes(p) && !/^\/(docs|openapi\.yaml)/.test(p)),
          fc.constantFrom(
            '/',
            '/accounts.login',
            '/socialize.setuid',
            '/SOCIALIZE.SETUID',
            '/socialize.setUID/',
            '//socialize.setUID',
            '/socialize.setUID%20',
          ),
        )
        .chain((path) =>
          fc
            .constantFrom('GET', 'POST')
            .map((method): [Sent, Method | undefined] => [
              { method, path, headers: FORM_TYPE, body: method === 'POST' ? form({ apiKey: 'x' }) : undefined },
              undefined,
            ]),
        ),
      // A form operation with a body that is not a form.
      fc
        .record({
          path: fc.constantFrom(...FORM_METHODS),
          type: fc.constantFrom('application/json', 'text/plain', 'multipart/form-data; boundary=x', 'application/xml', 'application/octet-stream'),
          body: fc.oneof(fc.constant('{"apiKey":"x","siteUID":"a"}'), anyText(1, 50)),
        })
        .map(({ path, type, body }): [Sent, Method | undefined] => [
          { method: 'POST', path: `/${path}`, headers: { 'content-type': type }, body },
          path,
        ]),
      // Arbitrary bytes as a form body.
      fc
        .record({ path: fc.constantFrom(...FORM_METHODS), bytes: fc.uint8Array({ minLength: 1, maxLength: 200 }) })
        .map(({ path, bytes }): [Sent, Method | undefined] => [
          { method: 'POST', path: `/${path}`, headers: FORM_TYPE, body: Buffer.from(bytes) },
          path,
        ]),
      // An empty form.
      fc
        .constantFrom(...FORM_METHODS)
        .map((path): [Sent, Method | undefined] => [{ method: 'POST', path: `/${path}`, headers: FORM_TYPE, body: '' }, path]),
    );
    await fc.assert(
      fc.asyncProperty(outside, async ([req, operation]) => {
        const res = await send(req);
        const body = checkAnswer(req, res, operation, false);
        expect(body.errorCode, describeExchange(req, res)).not.toBe(0);
        expect(errorSchema(body), describeExchange(req, res)).toBe(true);
      }),
      { numRuns: RUNS.outside },
    );
  });

  it(`scenarios (${RUNS.scenarios}): every named example by Prefer or __example, unknown names refused`, { timeout: 120_000 }, async () => {
    const examples = (operation: Method): Record<string, any> => {
      const op = contract.paths[`/${operation}`][operation === 'socialize.login' ? 'get' : 'post'];
      return op.responses['200'].content['application/json'].examples;
    };
    const scenario = fc
      .record({
        operation: fc.constantFrom<Method>(...FORM_METHODS, 'socialize.login'),
        by: fc.constantFrom('Prefer', '__example'),
        known: fc.boolean(),
        unknownName: fc.stringMatching(/^[A-Za-z][A-Za-z0-9]{0,20}$/),
      })
      .chain((s) => fc.constantFrom(...Object.keys(examples(s.operation))).map((name) => ({ ...s, name })));
    await fc.assert(
      fc.asyncProperty(scenario, async ({ operation, by, known, unknownName, name }) => {
        const all = examples(operation);
        const chosen = known ? name : all[unknownName] ? name : unknownName;
        const exists = all[chosen] !== undefined;
        const params: Record<string, string> =
          operation === 'socialize.login'
            ? { x_provider: 'facebook', client_id: mock.apiKey, redirect_uri: 'https://example.com/done', response_type: 'token' }
            : { apiKey: mock.apiKey, secret: mock.secret, UID: '_gid_scenario', siteUID: 'site-user-42' };
        const extra: Partial<Sent> =
          by === 'Prefer' ? { headers: { ...(operation === 'socialize.login' ? {} : FORM_TYPE), prefer: `example=${chosen}` } } : {};
        const req0 = planRequest(operation, params, extra);
        const req = by === '__example' ? { ...req0, query: [req0.query, `__example=${encodeURIComponent(chosen)}`].filter(Boolean).join('&') } : req0;
        const res = await send(req);
        const body = checkAnswer(req, res, operation, false);
        const where = describeExchange(req, res);
        if (exists) {
          const example = deref(all[chosen]).value;
          expect(body.errorCode, where).toBe(example.errorCode);
        } else {
          expect(body.errorCode, where).not.toBe(0);
          expect(String(body.errorDetails), where).toContain(chosen);
        }
      }),
      { numRuns: RUNS.scenarios },
    );
  });

  it('sent at least 2,000 requests in all', () => {
    expect(sent).toBeGreaterThanOrEqual(Math.min(2000, TOTAL_REQUESTS));
    expect(TOTAL_REQUESTS).toBeGreaterThanOrEqual(2000);
  });
});
