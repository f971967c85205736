// Holds the Web SDK schemas (components/schemas/WebSdk*.yaml) against every parameter and response
// member that the four seed documents (../shared/seeds/) name for the JavaScript methods, with the
// seeds' types, defaults, enumerations, limits, deprecations and required-together rules. The lists
// below were taken by hand from the seeds' parameter and "Response Object Data Members" tables.
import { describe, expect, test } from 'vitest';
import { contract, deref, members, operation, requestSchema, validatorAt, pointerOf, type Schema } from './contract-helpers.js';

type Type = 'string' | 'integer' | 'boolean' | 'object' | 'function' | 'any';
type Expected = { name: string; type: Type; deprecatedFor?: string; default?: unknown; maxLength?: number; enum?: string[] };

const schemas = contract.components.schemas as Record<string, Schema>;

// The Web SDK type of a member: JSON Schema's type, `function` for the callback (x-web-sdk-type),
// `any` for a member with no type (the page's context).
function webType(schema: Schema): string | undefined {
  const s = deref(schema);
  if (s['x-web-sdk-type']) return s['x-web-sdk-type'];
  if (typeof s.type === 'string') return s.type;
  if (s.properties || s.additionalProperties) return 'object';
  const branches = [...(s.anyOf ?? []), ...(s.oneOf ?? [])].map(webType);
  if (branches.length > 0) return branches.includes('object') ? 'object' : branches[0];
  if (s.allOf) return s.allOf.map(webType).find(Boolean);
  return 'any';
}

const common: Expected[] = [
  { name: 'callback', type: 'function' },
  { name: 'cid', type: 'string', maxLength: 100 },
  { name: 'context', type: 'any' },
];
const signed: Expected[] = [
  { name: 'siteUID', type: 'string', maxLength: 252 },
  { name: 'UIDTimestamp', type: 'string' },
  { name: 'UIDSig', type: 'string' },
];

const seedParameters: Record<string, { schema: string; rest: string; params: Expected[] }> = {
  'socialize.setUID': {
    schema: 'WebSdkSetUIDParams',
    rest: '/socialize.setUID',
    params: [
      ...signed,
      ...common,
      { name: 'timestamp', type: 'string', deprecatedFor: 'UIDTimestamp' },
      { name: 'signature', type: 'string', deprecatedFor: 'UIDSig' },
    ],
  },
  'socialize.notifyRegistration': {
    schema: 'WebSdkNotifyRegistrationParams',
    rest: '/socialize.notifyRegistration',
    params: [...signed, ...common],
  },
  'socialize.notifyLogin': {
    schema: 'WebSdkNotifyLoginParams',
    rest: '/socialize.notifyLogin',
    params: [
      ...signed,
      { name: 'providerSessions', type: 'object' },
      { name: 'actionAttributes', type: 'object' },
      ...common,
      { name: 'newUser', type: 'boolean', default: false },
      { name: 'regSource', type: 'string' },
      { name: 'sessionExpiration', type: 'integer' },
      { name: 'userInfo', type: 'object' },
      { name: 'timestamp', type: 'string', deprecatedFor: 'UIDTimestamp' },
      { name: 'signature', type: 'string', deprecatedFor: 'UIDSig' },
      ...['provider', 'authToken', 'tokenSecret', 'tokenExpiration', 'sessionHandle', 'sessionHandleExpiration'].map(
        (name): Expected => ({ name, type: 'string', deprecatedFor: 'providerSessions' }),
      ),
    ],
  },
  'socialize.login': {
    schema: 'WebSdkLoginParams',
    rest: '/socialize.login',
    params: [
      { name: 'provider', type: 'string' },
      { name: 'actionAttributes', type: 'object' },
      { name: 'authCodeOnly', type: 'boolean' },
      { name: 'authFlow', type: 'string', default: 'popup', enum: ['popup', 'redirect'] },
      ...common,
      { name: 'extraFields', type: 'string' },
      { name: 'facebookExtraPermissions', type: 'string' },
      { name: 'forceAuthentication', type: 'boolean', default: false },
      { name: 'googleExtraPermissions', type: 'string' },
      { name: 'googlePlayAppID', type: 'string' },
      { name: 'include', type: 'string', default: 'profile' },
      { name: 'includeAllIdentities', type: 'boolean', default: false },
      { name: 'loginMode', type: 'string', default: 'standard' },
      { name: 'pendingRegistration', type: 'boolean', default: true },
      { name: 'redirectMethod', type: 'string', default: 'get', enum: ['get', 'post'] },
      { name: 'redirectURL', type: 'string' },
      { name: 'regSource', type: 'string' },
      { name: 'regToken', type: 'string' },
      { name: 'sessionExpiration', type: 'integer' },
    ],
  },
};

// The REST parameters a Web SDK member may name: the form fields of the REST method, or login's query.
function restNames(path: string): Set<string> {
  if (path === '/socialize.login') return new Set((operation(path, 'get').parameters as Schema[]).map((p) => deref(p).name));
  return new Set(members(requestSchema(path)).keys());
}

describe.each(Object.keys(seedParameters))('gigya.%s(params)', (method) => {
  const { schema, rest, params } = seedParameters[method]!;
  const found = members(schemas[schema]!);

  test('is listed in the root x-web-sdk with its params schema', () => {
    expect(contract['x-web-sdk'][method].params.$ref).toBe(`#/components/schemas/${schema}`);
  });

  test('carries every parameter the seed names, typed, described, with defaults, limits and deprecations', () => {
    for (const e of params) {
      const member = found.get(e.name);
      expect(member, `${e.name} is missing`).toBeDefined();
      const s = member!.schema;
      expect(webType(s), `${e.name} type`).toBe(e.type);
      expect(typeof s.description, `${e.name} description`).toBe('string');
      if (e.default !== undefined) expect(s.default, `${e.name} default`).toBe(e.default);
      if (e.maxLength !== undefined) expect(deref(s).maxLength, `${e.name} maxLength`).toBe(e.maxLength);
      if (e.enum !== undefined) expect(deref(s).enum, `${e.name} enum`).toEqual(e.enum);
      expect(s.deprecated ?? false, `${e.name} deprecated`).toBe(e.deprecatedFor !== undefined);
      if (e.deprecatedFor) expect(s.description, `${e.name} names its replacement`).toContain(`Use \`${e.deprecatedFor}\``);
    }
    // Nothing beyond the seed's list; unknown parameters are refused.
    expect([...found.keys()].sort()).toEqual(params.map((p) => p.name).sort());
    expect(deref(schemas[schema]!).additionalProperties).toBe(false);
  });

  test('maps each parameter to a REST parameter that exists (x-rest-parameter), or says it has none', () => {
    const names = restNames(rest);
    for (const [name, member] of found) {
      expect(Object.hasOwn(member.schema, 'x-rest-parameter'), `${name}: x-rest-parameter`).toBe(true);
      const target = member.schema['x-rest-parameter'];
      if (target !== false) expect(names.has(target), `${name} → ${target}`).toBe(true);
    }
  });
});

const valid = (name: string) => validatorAt(pointerOf('components', 'schemas', name));
const sig = { UIDSig: 'jNQkbuGO6L9nVa0Nt9T6aPlosYQ=', UIDTimestamp: '1700000000' };

describe('stated rules, checked by validating params against the Web SDK schemas', () => {
  test('login: provider is required and one of the seed networks or saml-<name>', () => {
    const login = valid('WebSdkLoginParams');
    const seedProviders =
      'apple, amazon, aol, blogger, facebook, foursquare, googleplus, kakao, line, linkedin, livedoor, messenger, mixi, naver, netlog, odnoklassniki, orangefrance, paypaloauth, qq, renren, sina, spiceworks, twitter, vkontakte, wechat, wordpress, xing, yahoo, yahoojapan';
    for (const provider of [...seedProviders.split(', '), 'microsoft', 'saml-YourDefinedProviderName']) {
      expect(login({ provider }), provider).toBe(true);
    }
    expect(login({})).toBe(false);
    expect(login({ provider: 'myspace' })).toBe(false);
  });

  test("login: authFlow 'redirect' needs an absolute redirectURL; popup does not", () => {
    const login = valid('WebSdkLoginParams');
    expect(login({ provider: 'facebook', authFlow: 'popup' })).toBe(true);
    expect(login({ provider: 'facebook', authFlow: 'redirect' })).toBe(false);
    expect(login({ provider: 'facebook', authFlow: 'redirect', redirectURL: 'https://example.com/done' })).toBe(true);
    expect(login({ provider: 'facebook', authFlow: 'redirect', redirectURL: '/done' })).toBe(false);
    expect(login({ provider: 'facebook', authFlow: 'sideways' })).toBe(false);
    expect(login({ provider: 'facebook', redirectMethod: 'put' })).toBe(false);
  });

  test('login: comma lists hold only the listed values, and unknown parameters are refused', () => {
    const login = valid('WebSdkLoginParams');
    expect(login({ provider: 'facebook', include: 'profile,identities-active', extraFields: 'languages, likes' })).toBe(true);
    expect(login({ provider: 'facebook', include: 'profile,everything' })).toBe(false);
    expect(login({ provider: 'facebook', extraFields: 'shoeSize' })).toBe(false);
    expect(login({ provider: 'facebook', cid: 'c'.repeat(101) })).toBe(false);
    expect(login({ provider: 'facebook', redirectUrl: 'https://example.com/' })).toBe(false);
  });

  test('setUID needs siteUID and a signature, each signature with its timestamp', () => {
    const setUID = valid('WebSdkSetUIDParams');
    expect(setUID({ siteUID: 'u1', ...sig })).toBe(true);
    expect(setUID({ siteUID: 'u1', signature: sig.UIDSig, timestamp: sig.UIDTimestamp })).toBe(true);
    expect(setUID({ siteUID: 'u1' })).toBe(false);
    expect(setUID({ siteUID: 'u1', UIDSig: sig.UIDSig })).toBe(false);
    expect(setUID({ ...sig })).toBe(false);
    expect(setUID({ siteUID: 'José', ...sig })).toBe(false);
    expect(setUID({ siteUID: 'a'.repeat(253), ...sig })).toBe(false);
  });

  test('notifyRegistration: siteUID is optional, and signed when given', () => {
    const notifyRegistration = valid('WebSdkNotifyRegistrationParams');
    expect(notifyRegistration({})).toBe(true);
    expect(notifyRegistration({ siteUID: 'u1', ...sig })).toBe(true);
    expect(notifyRegistration({ siteUID: 'u1' })).toBe(false);
    expect(notifyRegistration({ siteUID: 'u1', UIDSig: sig.UIDSig })).toBe(false);
  });

  test('notifyLogin: siteUID (signed) or providerSessions, or both', () => {
    const notifyLogin = valid('WebSdkNotifyLoginParams');
    const providerSessions = { facebook: { authToken: 't' } };
    expect(notifyLogin({})).toBe(false);
    expect(notifyLogin({ siteUID: 'u1', ...sig })).toBe(true);
    expect(notifyLogin({ siteUID: 'u1' })).toBe(false);
    expect(notifyLogin({ providerSessions })).toBe(true);
    expect(notifyLogin({ siteUID: 'u1', ...sig, providerSessions, userInfo: { firstName: 'David', age: 30 } })).toBe(true);
    expect(notifyLogin({ siteUID: 'u1', ...sig, userInfo: '{"firstName":"David"}' })).toBe(true);
    expect(notifyLogin({ siteUID: 'u1', ...sig, userInfo: { age: 'thirty' } })).toBe(false);
    expect(notifyLogin({ siteUID: 'u1', ...sig, sessionExpiration: -3 })).toBe(false);
  });
});

describe('response objects and the onLogin event', () => {
  const envelope = ['errorCode', 'errorMessage', 'callId', 'context'];
  const expectNames = (schema: string, names: string[]) => {
    const found = members(schemas[schema]!);
    for (const name of names) {
      expect(found.get(name), `${schema}.${name}`).toBeDefined();
      expect(typeof found.get(name)!.schema.description, `${schema}.${name} description`).toBe('string');
    }
    return found;
  };

  test('each method names its response schema in x-web-sdk', () => {
    const sdk = contract['x-web-sdk'];
    expect(sdk['socialize.setUID'].response.$ref).toBe('#/components/schemas/WebSdkResponse');
    expect(sdk['socialize.notifyRegistration'].response.$ref).toBe('#/components/schemas/WebSdkResponse');
    expect(sdk['socialize.notifyLogin'].response.$ref).toBe('#/components/schemas/WebSdkNotifyLoginResponse');
    expect(sdk['socialize.login'].response.$ref).toBe('#/components/schemas/WebSdkLoginResponse');
    expect(sdk['socialize.login'].event.$ref).toBe('#/components/schemas/WebSdkLoginEvent');
  });

  test('setUID and notifyRegistration: the envelope, operation, and context as the page gave it', () => {
    const found = expectNames('WebSdkResponse', [...envelope, 'operation']);
    expect(webType(found.get('context')!.schema)).toBe('any');
    expect(webType(found.get('errorCode')!.schema)).toBe('integer');
  });

  test('notifyLogin: the envelope and the User object', () => {
    const found = expectNames('WebSdkNotifyLoginResponse', [...envelope, 'operation', 'user']);
    expect(members(found.get('user')!.schema).has('UID')).toBe(true);
  });

  test('login: the login result the seed lists, reusing LoginResult, with the old signature pair deprecated', () => {
    const found = expectNames('WebSdkLoginResponse', [
      ...envelope,
      'operation',
      'user',
      'UIDSignature',
      'signatureTimestamp',
      'UID',
      'isNewUser',
      'signature',
      'timestamp',
      'time',
    ]);
    expect(schemas.WebSdkLoginResponse!.allOf.map((s: Schema) => s.$ref)).toContain('#/components/schemas/LoginResult');
    expect(found.get('signature')!.schema.deprecated).toBe(true);
    expect(found.get('signature')!.schema.description).toContain('UIDSignature');
    expect(found.get('timestamp')!.schema.deprecated).toBe(true);
    expect(found.get('timestamp')!.schema.description).toContain('signatureTimestamp');
    expect(webType(found.get('isNewUser')!.schema)).toBe('boolean');
  });

  test('onLogin carries the login result and the provider', () => {
    expectNames('WebSdkLoginEvent', ['provider', 'UID', 'UIDSignature', 'signatureTimestamp', 'user', 'isNewUser']);
  });
});

test("a custom provider is saml-<name> or oidc-<name>, as the page types' template literal says (src/web-sdk.ts)", () => {
  expect(schemas.LoginProviderCustom!.pattern).toBe('^(saml|oidc)-[A-Za-z0-9_.-]+$');
});
