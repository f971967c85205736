// Type tests: the client's parameters and answers come from the generated contract types, and the
// compiler refuses what the contract refuses.
import { describe, expectTypeOf, test } from 'vitest';
import type { components, operations } from '../../generated/schema.js';
import {
  createSocializeClient,
  createUIDSignature,
  type GigyaError,
  parseLoginRedirect,
  signRequest,
  validateFriendSignature,
  validateUIDSignature,
  type ErrorCode,
  type LoginRedirectResult,
  type SocializeParams,
  type SocializeSuccess,
} from '../../src/index.js';

const client = createSocializeClient({ apiKey: '3_KEY', credentials: { secret: 'AAAA' } });

describe('parameters', () => {
  test('a missing required parameter is an error', () => {
    // @ts-expect-error siteUID is required by setUID
    void client.setUID({ UID: 'u' });
    // @ts-expect-error notifyLogin needs siteUID or providerSessions
    void client.notifyLogin({ newUser: true });
    void client.notifyLogin({ providerSessions: { facebook: { authToken: 't' } } });
    void client.notifyLogin({ siteUID: 's' });
  });

  test('a wrong type is an error', () => {
    // @ts-expect-error newUser is a boolean
    void client.notifyLogin({ siteUID: 's', newUser: 'yes' });
    // @ts-expect-error userInfo.age is a number
    void client.notifyLogin({ siteUID: 's', userInfo: { age: '30' } });
    // @ts-expect-error targetEnv is browser or mobile
    void client.notifyLogin({ siteUID: 's', targetEnv: 'desktop' });
    // @ts-expect-error userInfo is an object, not JSON text: the client encodes it
    void client.notifyLogin({ siteUID: 's', userInfo: '{"age":30}' });
  });

  test('an unknown parameter is an error', () => {
    // @ts-expect-error no such parameter
    void client.setUID({ UID: 'u', siteUID: 's', siteUid: 'typo' });
    // @ts-expect-error no such member of userInfo
    void client.notifyLogin({ siteUID: 's', userInfo: { favouriteColour: 'red' } });
  });

  test('parameters the client fills in cannot be passed', () => {
    // @ts-expect-error the secret comes from the client's credentials
    void client.setUID({ UID: 'u', siteUID: 's', secret: 'AAAA' });
    // @ts-expect-error apiKey comes from the client's options
    void client.notifyRegistration({ UID: 'u', apiKey: 'other' });
    // @ts-expect-error the client always asks for JSON
    void client.notifyRegistration({ UID: 'u', format: 'jsonp' });
  });

  test('an unknown method is an error', () => {
    // @ts-expect-error the client has no getUserInfo
    void client.getUserInfo({ UID: 'u' });
  });

  test('object parameters keep their generated object types', () => {
    type UserInfo = NonNullable<SocializeParams<'socialize.notifyLogin'>['userInfo']>;
    expectTypeOf<UserInfo>().toEqualTypeOf<components['schemas']['UserInfo']>();
    expectTypeOf<UserInfo['age']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<UserInfo['firstName']>().toEqualTypeOf<string | undefined>();
    expectTypeOf<SocializeParams<'socialize.setUID'>['siteUID']>().toEqualTypeOf<string>();
  });

  test('parameters are the generated request body less the client-filled fields', () => {
    type Body = operations['socialize.setUID']['requestBody']['content']['application/x-www-form-urlencoded'];
    expectTypeOf<SocializeParams<'socialize.setUID'>>().toEqualTypeOf<
      Omit<Body, 'apiKey' | 'userKey' | 'secret' | 'timestamp' | 'nonce' | 'sig' | 'oauth_token' | 'format'>
    >();
  });

  test('login URL parameters', () => {
    void client.loginUrl({ x_provider: 'facebook', redirect_uri: 'https://e.test/', response_type: 'code' });
    void client.loginUrl({ x_provider: 'saml-corp', redirect_uri: 'https://e.test/', response_type: 'token' });
    // @ts-expect-error redirect_uri is required
    void client.loginUrl({ x_provider: 'facebook', response_type: 'code' });
    // @ts-expect-error response_type is token or code
    void client.loginUrl({ x_provider: 'facebook', redirect_uri: 'https://e.test/', response_type: 'id_token' });
    // @ts-expect-error client_id is the client's apiKey
    void client.loginUrl({ x_provider: 'facebook', redirect_uri: 'https://e.test/', response_type: 'code', client_id: 'k' });
  });
});

describe('results', () => {
  test('each method resolves with its typed success body', () => {
    expectTypeOf(client.setUID).returns.resolves.toEqualTypeOf<SocializeSuccess<'socialize.setUID'>>();
    expectTypeOf(client.setUID).returns.resolves.toEqualTypeOf<components['schemas']['OkResponse']>();
    expectTypeOf(client.notifyRegistration).returns.resolves.toEqualTypeOf<components['schemas']['OkResponse']>();
    expectTypeOf(client.notifyLogin).returns.resolves.toEqualTypeOf<components['schemas']['NotifyLoginSuccess']>();
  });

  test('success bodies have errorCode 0 and the method’s members', () => {
    type Login = SocializeSuccess<'socialize.notifyLogin'>;
    expectTypeOf<Login['errorCode']>().toEqualTypeOf<0>();
    expectTypeOf<Login['UID']>().toEqualTypeOf<string>();
    expectTypeOf<Login['UIDSignature']>().toEqualTypeOf<string | undefined>();
    expectTypeOf<Login['sessionInfo']>().toEqualTypeOf<components['schemas']['SessionInfo'] | undefined>();
    expectTypeOf<SocializeSuccess<'socialize.setUID'>['callId']>().toEqualTypeOf<string>();
  });

  test('GigyaError', () => {
    expectTypeOf<GigyaError['errorCode']>().toEqualTypeOf<ErrorCode>();
    expectTypeOf<403005>().toMatchTypeOf<GigyaError['errorCode']>();
    expectTypeOf<GigyaError['callId']>().toEqualTypeOf<string | undefined>();
    expectTypeOf<GigyaError['method']>().toEqualTypeOf<string>();
  });
});

describe('signatures', () => {
  test('all async, with the documented shapes', () => {
    expectTypeOf(createUIDSignature).returns.resolves.toEqualTypeOf<{ UIDSig: string; UIDTimestamp: string }>();
    expectTypeOf(validateUIDSignature).returns.resolves.toEqualTypeOf<boolean>();
    expectTypeOf(validateFriendSignature).returns.resolves.toEqualTypeOf<boolean>();
    expectTypeOf(signRequest).returns.resolves.toEqualTypeOf<string>();
    expectTypeOf(parseLoginRedirect).returns.resolves.toEqualTypeOf<LoginRedirectResult>();
  });

  test('a UIDSig from createUIDSignature fits the client’s parameters', async () => {
    const signature = await createUIDSignature({ secret: 'AAAA', siteUID: 's' });
    const browser = createSocializeClient({ apiKey: '3_KEY' });
    void browser.notifyLogin({ siteUID: 's', ...signature });
    // @ts-expect-error validateUIDSignature needs the signature timestamp
    void validateUIDSignature({ secret: 'AAAA', UID: 'u', UIDSignature: 'x' });
  });

  test('credentials', () => {
    createSocializeClient({ apiKey: 'k', credentials: { userKey: 'u', secret: 's', sign: true } });
    createSocializeClient({ apiKey: 'k', credentials: { secret: new Uint8Array(16), sign: true } });
    // @ts-expect-error a byte secret cannot be sent, only used for signing
    createSocializeClient({ apiKey: 'k', credentials: { secret: new Uint8Array(16) } });
    // @ts-expect-error apiKey is required
    createSocializeClient({ credentials: { secret: 's' } });
  });
});
