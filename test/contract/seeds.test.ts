// Holds the bundled contract against every parameter and response member that the four seed documents
// (../shared/seeds/) name, with the type, the stated constraints and the deprecations they give.
// The lists below were taken by hand from the seeds' parameter and "Response Object Data Members" tables.
import { describe, expect, test } from 'vitest';
import {
  contract,
  deref,
  members,
  okResponseSchema,
  operation,
  requestSchema,
  requestValidator,
  validatorAt,
  pointerOf,
  type Schema,
} from './contract-helpers.js';

type Type = 'string' | 'integer' | 'boolean' | 'object' | 'array' | 'integer|string';
type Expected = { name: string; type: Type; deprecatedFor?: string };

function typeOf(schema: Schema): string | undefined {
  const s = deref(schema);
  if (typeof s.type === 'string') return s.type;
  if (s.const !== undefined) return Number.isInteger(s.const) ? 'integer' : typeof s.const;
  const branches = [...(s.anyOf ?? []), ...(s.oneOf ?? [])].map(typeOf);
  if (branches.length > 0 && branches.every((t) => t === branches[0])) return branches[0];
  // A member the sources type differently (signatureTimestamp) accepts each type: 'integer|string'.
  if (branches.length > 0 && branches.every(Boolean)) return [...new Set(branches)].sort().join('|');
  const fromAllOf = (s.allOf ?? []).map(typeOf).find(Boolean);
  if (fromAllOf) return fromAllOf;
  if (s.properties) return 'object';
  return undefined;
}

// Web SDK parameters that have no place in an HTTP request: `callback` is the JavaScript function that
// receives the result (over REST it names the JSONP wrapper), and `context` comes back unchanged.
const common: Expected[] = [
  { name: 'callback', type: 'string' },
  { name: 'cid', type: 'string' },
  { name: 'context', type: 'string' },
];

// `timestamp` is listed as deprecated in the setUID and notifyLogin seeds (the old name of UIDTimestamp).
// Over REST the same name is the signed-request timestamp, which is current, so the contract keeps one
// undeprecated `timestamp` whose description says that the UIDTimestamp use is deprecated.
const seedParameters: Record<string, Expected[]> = {
  '/socialize.setUID': [
    { name: 'siteUID', type: 'string' },
    { name: 'UIDTimestamp', type: 'string' },
    { name: 'UIDSig', type: 'string' },
    ...common,
    { name: 'timestamp', type: 'string' },
    { name: 'signature', type: 'string', deprecatedFor: 'UIDSig' },
  ],
  '/socialize.notifyRegistration': [
    { name: 'siteUID', type: 'string' },
    { name: 'UIDTimestamp', type: 'string' },
    { name: 'UIDSig', type: 'string' },
    ...common,
  ],
  '/socialize.notifyLogin': [
    { name: 'siteUID', type: 'string' },
    { name: 'providerSessions', type: 'object' },
    { name: 'UIDSig', type: 'string' },
    { name: 'UIDTimestamp', type: 'string' },
    { name: 'actionAttributes', type: 'object' },
    ...common,
    { name: 'newUser', type: 'boolean' },
    { name: 'regSource', type: 'string' },
    { name: 'sessionExpiration', type: 'integer' },
    { name: 'userInfo', type: 'object' },
    { name: 'timestamp', type: 'string' },
    { name: 'signature', type: 'string', deprecatedFor: 'UIDSig' },
    { name: 'provider', type: 'string', deprecatedFor: 'providerSessions' },
    { name: 'authToken', type: 'string', deprecatedFor: 'providerSessions' },
    { name: 'tokenSecret', type: 'string', deprecatedFor: 'providerSessions' },
    { name: 'tokenExpiration', type: 'string', deprecatedFor: 'providerSessions' },
    { name: 'sessionHandle', type: 'string', deprecatedFor: 'providerSessions' },
    { name: 'sessionHandleExpiration', type: 'string', deprecatedFor: 'providerSessions' },
  ],
};

// The REST form's own parameters (reference §1.3, §2.1–2.3), which the Web SDK seeds do not show.
const restParameters: Record<string, string[]> = {
  '/socialize.setUID': ['UID', 'apiKey', 'userKey', 'secret', 'nonce', 'sig', 'oauth_token', 'format', 'httpStatusCodes'],
  '/socialize.notifyRegistration': ['UID', 'apiKey', 'secret', 'sig', 'format', 'httpStatusCodes'],
  '/socialize.notifyLogin': ['targetEnv', 'skipValidation', 'lang', 'phoneNumber', 'apiKey', 'secret', 'sig'],
};

const envelope: Expected[] = [
  { name: 'errorCode', type: 'integer' },
  { name: 'errorMessage', type: 'string' },
  { name: 'callId', type: 'string' },
  { name: 'context', type: 'string' },
];

function expectMembers(schema: Schema, expected: Expected[], where: string) {
  const found = members(schema);
  for (const e of expected) {
    const member = found.get(e.name);
    expect(member, `${where}: ${e.name} is missing`).toBeDefined();
    expect(typeOf(member!.schema), `${where}: ${e.name} type`).toBe(e.type);
    expect(typeof member!.schema.description, `${where}: ${e.name} has a description`).toBe('string');
    if (e.deprecatedFor) {
      expect(member!.schema.deprecated, `${where}: ${e.name} is deprecated`).toBe(true);
      expect(member!.schema.description, `${where}: ${e.name} names its replacement`).toContain(e.deprecatedFor);
    } else {
      expect(member!.schema.deprecated ?? false, `${where}: ${e.name} is not deprecated`).toBe(false);
    }
  }
}

describe.each(Object.keys(seedParameters))('%s request', (path) => {
  test('carries every parameter the seed names, typed, described, with deprecations marked', () => {
    expectMembers(requestSchema(path), seedParameters[path]!, path);
  });

  test('carries the REST form parameters the reference lists', () => {
    const found = members(requestSchema(path));
    for (const name of restParameters[path]!) expect(found.has(name), `${path}: ${name}`).toBe(true);
  });

  test('is sent as a form, with JSON-valued fields declared as JSON in the Encoding Object', () => {
    const media = operation(path).requestBody.content;
    expect(Object.keys(media)).toEqual(['application/x-www-form-urlencoded']);
    const found = members(requestSchema(path));
    const objectFields = [...found].filter(([, m]) => typeOf(m.schema) === 'object').map(([n]) => n);
    const encoding = media['application/x-www-form-urlencoded'].encoding ?? {};
    for (const name of objectFields) expect(encoding[name]?.contentType, name).toBe('application/json');
  });
});

const base = { apiKey: '3_key', secret: 'AAECAwQFBgcICQoLDA0ODw==' };

describe('stated constraints, checked by validating requests against the contract', () => {
  const setUID = requestValidator('/socialize.setUID');
  const notifyRegistration = requestValidator('/socialize.notifyRegistration');
  const notifyLogin = requestValidator('/socialize.notifyLogin');

  test('siteUID is required by setUID, ASCII only, at most 252 characters', () => {
    for (const validate of [setUID, notifyRegistration, notifyLogin]) {
      expect(validate({ ...base, siteUID: 'a'.repeat(252) })).toBe(true);
      expect(validate({ ...base, siteUID: 'a'.repeat(253) })).toBe(false);
      expect(validate({ ...base, siteUID: 'José' })).toBe(false);
      expect(validate({ ...base, siteUID: '' })).toBe(false);
    }
    expect(setUID({ ...base })).toBe(false);
    expect(notifyRegistration({ ...base })).toBe(true);
  });

  test('cid is at most 100 characters', () => {
    expect(setUID({ ...base, siteUID: 'u1', cid: 'c'.repeat(100) })).toBe(true);
    expect(setUID({ ...base, siteUID: 'u1', cid: 'c'.repeat(101) })).toBe(false);
  });

  test('UIDSig and UIDTimestamp go together', () => {
    const sig = { UIDSig: 'jNQkbuGO6L9nVa0Nt9T6aPlosYQ=', UIDTimestamp: '1700000000' };
    for (const validate of [setUID, notifyRegistration, notifyLogin]) {
      expect(validate({ apiKey: '3_key', siteUID: 'u1', ...sig })).toBe(true);
      expect(validate({ apiKey: '3_key', siteUID: 'u1', UIDSig: sig.UIDSig })).toBe(false);
      expect(validate({ apiKey: '3_key', siteUID: 'u1', UIDTimestamp: sig.UIDTimestamp })).toBe(false);
    }
    expect(setUID({ apiKey: '3_key', siteUID: 'u1', ...sig, UIDTimestamp: '17e8' })).toBe(false);
  });

  test('notifyLogin needs siteUID or providerSessions, or both', () => {
    const sessions = { facebook: { authToken: 'token' } };
    expect(notifyLogin({ ...base })).toBe(false);
    expect(notifyLogin({ ...base, siteUID: 'u1' })).toBe(true);
    expect(notifyLogin({ ...base, providerSessions: sessions })).toBe(true);
    expect(notifyLogin({ ...base, siteUID: 'u1', providerSessions: sessions })).toBe(true);
  });

  test('each provider session gives authToken or code; networks the seeds do not list are not refused', () => {
    const ok = (s: unknown) => notifyLogin({ ...base, providerSessions: s });
    expect(ok({ facebook: { authToken: 't' } })).toBe(true);
    expect(ok({ yahoo: { code: 'c', providerUID: 'BAK85' } })).toBe(true);
    expect(ok({ twitter: { authToken: 't', code: 'c', tokenSecret: 's' } })).toBe(true);
    expect(ok({ facebook: { providerUID: 'x' } })).toBe(false);
    expect(ok({ myspace: { authToken: 't' } })).toBe(true);
    expect(ok({ myspace: { providerUID: 'x' } })).toBe(false);
    expect(ok({ facebook: { authToken: 't', tokenExpiration: '1893456000' } })).toBe(true);
    expect(ok({ facebook: { authToken: 't', tokenExpiration: '657658465' } })).toBe(true);
    expect(ok({})).toBe(false);
    expect(ok({ facebook: { authToken: 't', tokenExpiresIn: 'soon' } })).toBe(false);
    const session = members(deref(contract.components.schemas.ProviderSession));
    for (const name of [
      'authToken',
      'code',
      'providerUID',
      'tokenSecret',
      'tokenExpiration',
      'tokenExpiresIn',
      'sessionHandle',
      'sessionHandleExpiration',
    ]) {
      expect(session.has(name), name).toBe(true);
    }
    const providers = Object.keys(deref(contract.components.schemas.ProviderSessions).properties);
    for (const name of ['facebook', 'twitter', 'yahoo', 'microsoft', 'messenger', 'linkedin', 'qq', 'renren', 'sina']) {
      expect(providers).toContain(name);
    }
  });

  test('sessionExpiration is 0, -1, -2 or a number of seconds', () => {
    for (const value of [0, -1, -2, 1, 3600]) expect(notifyLogin({ ...base, siteUID: 'u', sessionExpiration: value }), String(value)).toBe(true);
    for (const value of [-3, 1.5, 'forever']) expect(notifyLogin({ ...base, siteUID: 'u', sessionExpiration: value }), String(value)).toBe(false);
  });

  test('userInfo has the seed fields, with age a number and a thumbnail only beside a photo', () => {
    const userInfo = members(deref(contract.components.schemas.UserInfo));
    expect([...userInfo.keys()].sort()).toEqual(['age', 'email', 'firstName', 'gender', 'lastName', 'nickname', 'photoURL', 'thumbnailURL'].sort());
    expect(typeOf(userInfo.get('age')!.schema)).toBe('integer');
    const ok = (u: unknown) => notifyLogin({ ...base, siteUID: 'u', userInfo: u });
    expect(ok({ firstName: 'David', lastName: 'Blair', gender: 'm', age: 30 })).toBe(true);
    expect(ok({ age: 'thirty' })).toBe(false);
    expect(ok({ gender: 'x' })).toBe(false);
    expect(ok({ thumbnailURL: 'https://example.com/t.jpg' })).toBe(false);
    expect(ok({ thumbnailURL: 'https://example.com/t.jpg', photoURL: 'https://example.com/p.jpg' })).toBe(true);
  });

  test('actionAttributes holds categories with one value or a short list', () => {
    const ok = (a: unknown) => notifyLogin({ ...base, siteUID: 'u', actionAttributes: a });
    expect(ok({ 'tv-show': 'glee' })).toBe(true);
    expect(ok({ tags: ['a', 'b', 'c'] })).toBe(true);
    expect(ok({ tags: ['a', 'b', 'c', 'd'] })).toBe(false);
    expect(ok({ a: '1', b: '2', c: '3', d: '4' })).toBe(false);
    expect(ok({ a: 1 })).toBe(false);
  });

  test('defaults and enumerations the seeds and the reference state', () => {
    const login = members(requestSchema('/socialize.notifyLogin'));
    expect(login.get('newUser')!.schema.default).toBe(false);
    expect(login.get('targetEnv')!.schema.enum).toEqual(['browser', 'mobile']);
    expect(login.get('targetEnv')!.schema.default).toBe('browser');
    expect(login.get('httpStatusCodes')!.schema.default).toBe(false);
    expect(notifyLogin({ ...base, siteUID: 'u', targetEnv: 'tv' })).toBe(false);
  });
});

describe('responses', () => {
  test.each(['/socialize.setUID', '/socialize.notifyRegistration', '/socialize.notifyLogin'])(
    '%s success and error bodies carry the seed response members',
    (path) => {
      const [success, error] = deref(okResponseSchema(path)).oneOf as Schema[];
      expectMembers(success!, envelope, `${path} success`);
      expectMembers(error!, envelope, `${path} error`);
    },
  );

  test('the envelope carries every member the reference lists, with operation for the Web SDK', () => {
    const found = members(contract.components.schemas.ResponseEnvelope);
    for (const name of [
      'callId',
      'errorCode',
      'errorMessage',
      'errorDetails',
      'statusCode',
      'statusReason',
      'time',
      'apiVersion',
      'context',
      'operation',
      'ignoredParams',
      'validationErrors',
    ]) {
      expect(found.has(name), name).toBe(true);
    }
  });

  test('notifyLogin answers with the User object and the session in both shapes', () => {
    const success = members((deref(okResponseSchema('/socialize.notifyLogin')).oneOf as Schema[])[0]!);
    expect(typeOf(success.get('user')!.schema)).toBe('object');
    for (const name of [
      'UID',
      'UIDSignature',
      'signatureTimestamp',
      'cookieName',
      'cookieValue',
      'cookieDomain',
      'cookiePath',
      'sessionToken',
      'sessionSecret',
      'sessionInfo',
    ]) {
      expect(success.has(name), name).toBe(true);
    }
  });

  test('the User object carries the members the seeds and the reference name', () => {
    const user = members(contract.components.schemas.User);
    for (const name of [
      'UID',
      'isSiteUID',
      'isSiteUser',
      'UIDSignature',
      'signatureTimestamp',
      'isConnected',
      'isLoggedIn',
      'isTempUser',
      'loginProvider',
      'loginProviderUID',
      'provider',
      'providers',
      'nickname',
      'photoURL',
      'thumbnailURL',
      'firstName',
      'lastName',
      'gender',
      'age',
      'birthDay',
      'birthMonth',
      'birthYear',
      'email',
      'country',
      'state',
      'city',
      'zip',
      'profileURL',
      'identities',
      'capabilities',
      'proxiedEmail',
      'UIDSig',
      'timestamp',
    ]) {
      expect(user.has(name), name).toBe(true);
    }
    expect(user.get('UIDSig')!.schema.deprecated).toBe(true);
    const identity = members(contract.components.schemas.Identity);
    for (const name of [
      'provider',
      'providerUID',
      'providerUIDSig',
      'mappedProviderUIDs',
      'isLoginIdentity',
      'allowsLogin',
      'isExpiredSession',
      'lastLoginTime',
      'nickname',
      'email',
    ]) {
      expect(identity.has(name), name).toBe(true);
    }
  });
});

test('signatureTimestamp is accepted as a string of digits and as a number wherever it appears', () => {
  for (const name of ['User', 'LoginResult', 'NotifyLoginSuccess']) {
    const member = members(contract.components.schemas[name]).get('signatureTimestamp');
    expect(member, name).toBeDefined();
    const validate = validatorAt(pointerOf('components', 'schemas', 'SignatureTimestamp'));
    expect(deref(member!.schema).oneOf, name).toEqual(deref(contract.components.schemas.SignatureTimestamp).oneOf);
    expect(validate('1420669530') && validate(1420669530)).toBe(true);
    expect(validate('14206x') || validate(-1) || validate(1.5)).toBe(false);
  }
});

describe('socialize.login', () => {
  const login = operation('/socialize.login', 'get');
  const queryNames = (login.parameters as Schema[]).map((p) => deref(p).name as string);

  test('is a GET answered by a redirect, with the REST parameters the reference names', () => {
    expect(Object.keys(contract.paths['/socialize.login'])).toEqual(['get']);
    expect(login.responses['302'].headers.Location).toBeDefined();
    for (const name of [
      'x_provider',
      'client_id',
      'redirect_uri',
      'response_type',
      'state',
      'x_cid',
      'finalizeRegistration',
      'x_session_expiration',
      'x_lang',
      'x_extraPermissions',
      'x_forceAuthentication',
      'x_displayMode',
      'x_openIDUsername',
      'x_openIDURL',
      'x_openIDProviderLogo',
      'x_openIDProviderName',
      'x_googlePlayAppID',
      'x_regSource',
    ]) {
      expect(queryNames, name).toContain(name);
    }
    const required = (login.parameters as Schema[]).filter((p) => deref(p).required).map((p) => deref(p).name);
    expect(required.sort()).toEqual(['client_id', 'redirect_uri', 'response_type', 'x_provider']);
  });

  test('every parameter of the seed is a Web SDK parameter whose REST counterpart exists', () => {
    const params = members(contract.components.schemas.WebSdkLoginParams);
    for (const [name, member] of params) {
      const rest = member.schema['x-rest-parameter'];
      expect(rest === false || typeof rest === 'string', `${name}: x-rest-parameter`).toBe(true);
      if (typeof rest === 'string') expect(queryNames, `${name} → ${rest}`).toContain(rest);
    }
  });

  test('the login result the seed defines is a schema, and reaches redirect_uri as query parameters', () => {
    // The login result is the Web SDK's callback data: its context is the page's own value, of any type.
    const result: Expected[] = [
      ...envelope.filter((e) => e.name !== 'context'),
      { name: 'user', type: 'object' },
      { name: 'UIDSignature', type: 'string' },
      // The seed says string, SAP's typings number: both are accepted.
      { name: 'signatureTimestamp', type: 'integer|string' },
      { name: 'UID', type: 'string' },
      { name: 'isNewUser', type: 'boolean' },
      { name: 'signature', type: 'string', deprecatedFor: 'UIDSignature' },
      { name: 'timestamp', type: 'string', deprecatedFor: 'signatureTimestamp' },
      { name: 'time', type: 'string' },
    ];
    expectMembers(contract.components.schemas.LoginResult, result, 'LoginResult');
    const redirect = members(contract.components.schemas.LoginRedirectResult);
    for (const name of [
      'UID',
      'UIDSig',
      'timestamp',
      'loginProvider',
      'loginProviderUID',
      'nickname',
      'photoURL',
      'thumbnailURL',
      'firstName',
      'lastName',
      'gender',
      'birthDay',
      'birthMonth',
      'birthYear',
      'email',
      'country',
      'state',
      'city',
      'zip',
      'profileURL',
      'provider',
      'UIDSignature',
      'signatureTimestamp',
    ]) {
      expect(redirect.has(name), name).toBe(true);
    }
    // Query parameters are flat: no member of the redirect result is an object or a list.
    for (const [name, member] of redirect) expect(['object', 'array'], `${name} is flat`).not.toContain(typeOf(member.schema));
    for (const name of ['user', 'context']) expect(redirect.has(name), `${name} is not a query parameter`).toBe(false);
    const callback = login.callbacks.loginResult['{$request.query.redirect_uri}'].get;
    expect(deref(callback.parameters[0]).schema.$ref).toBe('#/components/schemas/LoginRedirectResult');
  });
});

describe('outcomes and the error catalogue', () => {
  const catalogue = deref(contract.components.schemas.ErrorCode);
  const listed = catalogue.anyOf.find((branch: Schema) => Array.isArray(branch.enum));
  const expectedExamples: Record<string, number> = {
    success: 0,
    missingParameter: 400002,
    invalidParameterValue: 400006,
    requestExpired: 403002,
    invalidSignature: 403003,
    unauthorizedUser: 403005,
  };

  test('the catalogue gives a message and a description for every code', () => {
    const codes = listed.enum as number[];
    expect(Object.keys(catalogue['x-errorMessages']).map(Number)).toEqual(codes);
    expect(Object.keys(listed['x-enumDescriptions']).map(Number)).toEqual(codes);
    for (const code of [400002, 400006, 403002, 403003, 403004, 403005, 206001]) expect(codes).toContain(code);
  });

  test('error answers accept any code, not only the listed ones: the list is not complete', () => {
    const error = validatorAt(pointerOf('components', 'schemas', 'ErrorResponse'));
    const answer = {
      callId: '0123456789abcdef0123456789abcdef',
      statusCode: 409,
      statusReason: 'Conflict',
      time: '2026-11-23T08:48:28.537Z',
      errorMessage: 'x',
    };
    for (const code of [409030, 400007, 400013, 400014, 400015, 123456]) expect(error({ ...answer, errorCode: code }), String(code)).toBe(true);
    expect(error({ ...answer, errorCode: 0 })).toBe(false);
  });

  test.each(['/socialize.setUID', '/socialize.notifyRegistration', '/socialize.notifyLogin'])(
    '%s has a named 200 example per outcome, each matching its name, the catalogue and the schema',
    (path) => {
      const examples = operation(path).responses['200'].content['application/json'].examples as Record<string, Schema>;
      const wanted = { ...expectedExamples, ...(path === '/socialize.notifyLogin' ? { pendingRegistration: 206001 } : {}) };
      for (const [name, code] of Object.entries(wanted)) {
        expect(deref(examples[name]!).value.errorCode, name).toBe(code);
      }
      const validate = validatorAt(pointerOf('paths', path, 'post', 'responses', '200', 'content', 'application/json', 'schema'));
      for (const [name, example] of Object.entries(examples)) {
        const value = deref(example).value;
        expect(validate(value), `${name}: ${JSON.stringify(validate.errors)}`).toBe(true);
        if (value.errorCode !== 0) {
          expect(catalogue['x-errorMessages'][value.errorCode], name).toBe(value.errorMessage);
          expect(value.statusCode, name).toBe(Math.floor(value.errorCode / 1000));
        }
      }
    },
  );

  test('HTTP status codes appear only with httpStatusCodes=true, as the default response', () => {
    for (const path of ['/socialize.setUID', '/socialize.notifyRegistration', '/socialize.notifyLogin']) {
      expect(Object.keys(operation(path).responses).sort()).toEqual(['200', 'default']);
    }
  });
});
