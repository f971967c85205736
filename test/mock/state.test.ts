// The stateful mock over real HTTP: the lifecycle of accounts on a test site (a first social login creates a
// pending account, notifyRegistration completes and links it, later logins return the same account), the
// errors the state makes (each naming its parameter), scenarios that leave the state alone, the /__mock/
// controls and isolated sites, and the caps.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createUIDSignature, parseLoginRedirect, validateUIDSignature } from '../../src/index.js';
import { startMockServer, type MockServer } from '../../src/mock/index.js';
import { call, expectConforms, expectError, expectSchema, post, type Reply } from './mock-helpers.js';

let mock: MockServer;
let site: { apiKey: string; secret: string };

beforeAll(async () => {
  mock = await startMockServer({ port: 0 });
});
afterAll(() => mock?.close());

const server = (s: { apiKey: string; secret: string }, extra: Record<string, string> = {}) => ({ apiKey: s.apiKey, secret: s.secret, ...extra });

/** A fresh isolated site for one test (nobody else sees its accounts). */
async function freshSite(): Promise<{ apiKey: string; secret: string; userKey: string; userSecret: string }> {
  const reply = await post(mock.url, '__mock/createSite', {});
  expect(reply.body.errorCode, reply.text).toBe(0);
  expectSchema(reply.body, 'paths', '/__mock/createSite', 'post', 'responses', '200', 'content', 'application/json', 'schema');
  return reply.body as never;
}

async function control(name: string, fields: Record<string, string>): Promise<Reply> {
  const reply = await post(mock.url, `__mock/${name}`, fields);
  expect(reply.headers['content-type']).toMatch(/^application\/json/);
  return reply;
}

async function account(s: { apiKey: string; secret: string }, UID: string): Promise<Record<string, any>> {
  const reply = await control('getAccount', server(s, { UID }));
  expect(reply.body.errorCode, reply.text).toBe(0);
  expectSchema(reply.body.account, 'components', 'schemas', 'MockAccount');
  return reply.body.account;
}

/** A social login through the redirect; resolves with the verified result the site would read. */
async function socialLogin(s: { apiKey: string; secret: string }, extra: Record<string, string> = {}) {
  const query = { x_provider: 'facebook', client_id: s.apiKey, redirect_uri: 'https://site.example/done', response_type: 'token', ...extra };
  const reply = await call(mock.url, '/socialize.login', { query });
  expect(reply.status, reply.text).toBe(302);
  const location = String(reply.headers.location);
  const result = await parseLoginRedirect(location, { secret: s.secret });
  expect(result.UID).toEqual(expect.any(String));
  return { ...result, UID: result.UID!, isNewUser: new URL(location).searchParams.get('isNewUser') === 'true' };
}

describe('the lifecycle of a social registration', () => {
  test('first login: new and pending; notifyRegistration links the siteUID; later logins return it, not new', async () => {
    site = await freshSite();
    const first = await socialLogin(site);
    expect(first.isNewUser).toBe(true);
    expect(first.UID).toMatch(/^_gid_/);
    expect(await account(site, first.UID)).toMatchObject({ registration: 'pending', isSiteUser: false, gigyaUID: first.UID });
    // Still pending: the same account, still new to the site.
    const again = await socialLogin(site);
    expect(again).toMatchObject({ UID: first.UID, isNewUser: true });

    const registered = await post(mock.url, 'socialize.notifyRegistration', server(site, { UID: first.UID, siteUID: 'site-user-1001' }));
    expectConforms(registered, '/socialize.notifyRegistration');
    expect(registered.body.errorCode, registered.text).toBe(0);
    expect(await account(site, 'site-user-1001')).toMatchObject({
      UID: 'site-user-1001',
      gigyaUID: first.UID,
      registration: 'final',
      isSiteUser: true,
    });

    const later = await socialLogin(site);
    expect(later).toMatchObject({ UID: 'site-user-1001', isNewUser: false });
    // Finishing it twice: the state says no, naming UID; repeating the same link is harmless.
    expectError(
      await post(mock.url, 'socialize.notifyRegistration', server(site, { UID: 'site-user-1001' })),
      '/socialize.notifyRegistration',
      400006,
      'UID',
      'already final',
    );
    expect((await post(mock.url, 'socialize.notifyRegistration', server(site, { UID: first.UID, siteUID: 'site-user-1001' }))).body.errorCode).toBe(
      0,
    );
  });

  test('mock_identity: the same name is the same identity, another name another account; finalizeRegistration=true is final at once', async () => {
    site = await freshSite();
    const alice = await socialLogin(site, { mock_identity: 'alice' });
    const aliceAgain = await socialLogin(site, { mock_identity: 'alice' });
    const bob = await socialLogin(site, { mock_identity: 'bob', finalizeRegistration: 'True' });
    expect(aliceAgain.UID).toBe(alice.UID);
    expect(bob.UID).not.toBe(alice.UID);
    expect(bob.isNewUser).toBe(true);
    expect(await account(site, bob.UID)).toMatchObject({ registration: 'final', identities: [{ provider: 'facebook', name: 'bob' }] });
    // The same name on another network is another identity.
    const twitter = await socialLogin(site, { mock_identity: 'alice', x_provider: 'twitter' });
    expect(twitter.UID).not.toBe(alice.UID);
    const bad = await call(mock.url, '/socialize.login', {
      query: {
        x_provider: 'facebook',
        client_id: site.apiKey,
        redirect_uri: 'https://a.example/',
        response_type: 'token',
        mock_identity: 'no spaces',
      },
    });
    expectError(bad, '/socialize.login', 400006, 'mock_identity');
  });
});

describe('site logins (notifyLogin)', () => {
  test('a new siteUID registers a new user; a returning one reconnects; sessions attach identities; userInfo fills the profile', async () => {
    site = await freshSite();
    const first = await post(
      mock.url,
      'socialize.notifyLogin',
      server(site, { siteUID: 'site-user-7', newUser: 'true', userInfo: '{"firstName":"Ann","age":30}' }),
    );
    expectConforms(first, '/socialize.notifyLogin');
    expect(first.body).toMatchObject({
      UID: 'site-user-7',
      isNewUser: true,
      user: { UID: 'site-user-7', isSiteUID: true, isSiteUser: true, firstName: 'Ann', age: 30 },
    });
    await expect(
      validateUIDSignature({
        secret: site.secret,
        UID: first.body.UID,
        UIDSignature: first.body.UIDSignature,
        signatureTimestamp: first.body.signatureTimestamp,
      }),
    ).resolves.toBe(true);
    const sessions = JSON.stringify({ twitter: { authToken: 'tw-token', providerUID: 'tw-7' } });
    const returning = await post(mock.url, 'socialize.notifyLogin', server(site, { siteUID: 'site-user-7', providerSessions: sessions }));
    expect(returning.body.errorCode, returning.text).toBe(0);
    expect(returning.body.isNewUser).toBeUndefined();
    expect(returning.body.user.identities).toEqual([expect.objectContaining({ provider: 'twitter', providerUID: 'tw-7' })]);
    expect(await account(site, 'site-user-7')).toMatchObject({
      profile: { firstName: 'Ann', age: 30 },
      identities: [{ provider: 'twitter', providerUID: 'tw-7', session: { authToken: 'tw-token' } }],
    });
    // The identity is this account's: another siteUID cannot take it.
    expectError(
      await post(mock.url, 'socialize.notifyLogin', server(site, { siteUID: 'site-user-8', providerSessions: sessions })),
      '/socialize.notifyLogin',
      409001,
      'providerSessions.twitter',
    );
    // Sessions alone find the account they belong to.
    const bySession = await post(mock.url, 'socialize.notifyLogin', server(site, { providerSessions: sessions }));
    expect(bySession.body).toMatchObject({ errorCode: 0, UID: 'site-user-7' });
  });
});

describe('errors the state makes, each naming the parameter', () => {
  test("unknown UID 403005; a siteUID another account holds, or another account's Gigya UID, 400003; its own Gigya UID 400006", async () => {
    site = await freshSite();
    expectError(await post(mock.url, 'socialize.setUID', server(site, { UID: '_gid_never', siteUID: 'site-x' })), '/socialize.setUID', 403005, 'UID');
    expectError(
      await post(mock.url, 'socialize.notifyRegistration', server(site, { UID: '_gid_never' })),
      '/socialize.notifyRegistration',
      403005,
      'UID',
    );
    const a = await socialLogin(site, { mock_identity: 'a' });
    const b = await socialLogin(site, { mock_identity: 'b' });
    expect((await post(mock.url, 'socialize.setUID', server(site, { UID: a.UID, siteUID: 'site-a' }))).body.errorCode).toBe(0);
    expectError(await post(mock.url, 'socialize.setUID', server(site, { UID: b.UID, siteUID: 'site-a' })), '/socialize.setUID', 400003, 'siteUID');
    expectError(
      await post(mock.url, 'socialize.notifyRegistration', server(site, { UID: b.UID, siteUID: a.UID })),
      '/socialize.notifyRegistration',
      400003,
      'siteUID',
    );
    expectError(await post(mock.url, 'socialize.setUID', server(site, { UID: b.UID, siteUID: b.UID })), '/socialize.setUID', 400006, 'siteUID');
    // setUID replaces the UID: the old siteUID is free again, the account answers to the new one.
    expect((await post(mock.url, 'socialize.setUID', server(site, { UID: 'site-a', siteUID: 'site-a2' }))).body.errorCode).toBe(0);
    expect((await account(site, a.UID)).UID).toBe('site-a2');
    expect((await post(mock.url, 'socialize.setUID', server(site, { UID: b.UID, siteUID: 'site-a' }))).body.errorCode).toBe(0);
  });

  test('scenarios answer their examples and leave the accounts alone', async () => {
    site = await freshSite();
    const before = await control('listAccounts', server(site));
    const scenario = await post(mock.url, 'socialize.notifyLogin', server(site, { siteUID: 'site-scenario' }), { query: { __example: 'success' } });
    expect(scenario.body.errorCode).toBe(0);
    const unknown = await post(mock.url, 'socialize.setUID', server(site, { UID: '_gid_never', siteUID: 's' }), {
      headers: { prefer: 'example=success' },
    });
    expect(unknown.body.errorCode).toBe(0);
    const after = await control('listAccounts', server(site));
    expect(after.body.total).toBe(before.body.total);
    expect(after.body.total).toBe(0);
  });
});

describe('controls under /__mock/ and isolated sites', () => {
  test("the default test site starts with the contract's testSite example, so the examples and code samples are live calls", async () => {
    const list = await control('listAccounts', server(mock));
    expectSchema(list.body, 'paths', '/__mock/listAccounts', 'post', 'responses', '200', 'content', 'application/json', 'schema');
    expect(list.body.accounts.map((a: { gigyaUID: string }) => a.gigyaUID)).toContain('_gid_Maxa3fCszqWc1A1D1HsoHg==');
    expect(
      (await post(mock.url, 'socialize.setUID', server(mock, { UID: '_gid_Maxa3fCszqWc1A1D1HsoHg==', siteUID: 'site-user-42' }))).body.errorCode,
    ).toBe(0);
  });

  test('a site sees only its own accounts, and only with its own secret', async () => {
    const one = await freshSite();
    const two = await freshSite();
    expect(one.apiKey).not.toBe(two.apiKey);
    await socialLogin(one, { mock_identity: 'mine' });
    expect((await control('listAccounts', server(one))).body.total).toBe(1);
    expect((await control('listAccounts', server(two))).body.total).toBe(0);
    expectError(await control('listAccounts', { apiKey: one.apiKey, secret: two.secret }), '/__mock/listAccounts', 403003, 'secret');
    expectError(await control('listAccounts', { apiKey: one.apiKey }), '/__mock/listAccounts', 400002, 'secret');
    expectError(await control('listAccounts', { apiKey: '3_nobody', secret: one.secret }), '/__mock/listAccounts', 400093, 'apiKey');
    // One site's secret does not work for another's calls either.
    expectError(
      await post(mock.url, 'socialize.notifyLogin', { apiKey: two.apiKey, secret: one.secret, siteUID: 'x' }),
      '/socialize.notifyLogin',
      403003,
      'secret',
    );
    expectError(await control('noSuchControl', server(one)), '/__mock/listAccounts', 404000, 'noSuchControl');
    expectError(await call(mock.url, '/__mock/listAccounts', {}), '/__mock/listAccounts', 400001, 'POST');
  });

  test('loadAccounts replaces the accounts after checking the whole fixture; resetSite brings back the start', async () => {
    const s = await freshSite();
    const fixture = [
      { gigyaUID: '_gid_f1', siteUID: 'site-f1', identities: [{ provider: 'facebook', providerUID: 'fb-1' }] },
      { gigyaUID: '_gid_f2', registration: 'pending' },
    ];
    const loaded = await control('loadAccounts', server(s, { accounts: JSON.stringify(fixture) }));
    expect(loaded.body).toMatchObject({ errorCode: 0, accounts: 2 });
    expect(await account(s, 'site-f1')).toMatchObject({ gigyaUID: '_gid_f1', registration: 'final', isSiteUser: true });
    expect((await post(mock.url, 'socialize.notifyRegistration', server(s, { UID: '_gid_f2', siteUID: 'site-f2' }))).body.errorCode).toBe(0);
    // A bad fixture changes nothing and names the record and member.
    expectError(
      await control('loadAccounts', server(s, { accounts: '[{"siteUID":"x"}]' })),
      '/__mock/listAccounts',
      400006,
      'accounts.0',
      'gigyaUID',
    );
    expectError(
      await control('loadAccounts', server(s, { accounts: JSON.stringify([fixture[0], { gigyaUID: '_gid_f3', siteUID: 'site-f1' }]) })),
      '/__mock/listAccounts',
      400006,
      'accounts[1].siteUID',
    );
    expectError(await control('loadAccounts', server(s, { accounts: '[{' })), '/__mock/listAccounts', 400004, 'accounts');
    expect((await control('listAccounts', server(s))).body.total).toBe(2);
    const reset = await control('resetSite', server(s));
    expect(reset.body).toMatchObject({ errorCode: 0, accounts: 0 });
  });
});

describe('caps', () => {
  test('a full site answers 403000 naming what would have added an account; identities per account are capped too', async () => {
    const small = await startMockServer({ port: 0, accounts: [], limits: { accounts: 2, identities: 2 } });
    try {
      const s = { apiKey: small.apiKey, secret: small.secret };
      const add = (siteUID: string, extra: Record<string, string> = {}) => post(small.url, 'socialize.notifyLogin', server(s, { siteUID, ...extra }));
      expect((await add('one')).body.errorCode).toBe(0);
      expect((await add('two')).body.errorCode).toBe(0);
      expectError(await add('three'), '/socialize.notifyLogin', 403000, 'siteUID');
      expect((await add('one')).body.errorCode).toBe(0);
      const sessions = JSON.stringify({ facebook: { authToken: 'a' }, twitter: { authToken: 'b' }, yahoo: { authToken: 'c' } });
      expectError(await add('one', { providerSessions: sessions }), '/socialize.notifyLogin', 403000, 'providerSessions');
      await expect(
        startMockServer({ port: 0, accounts: [{ gigyaUID: 'a' }, { gigyaUID: 'b' }, { gigyaUID: 'c' }], limits: { accounts: 2 } }),
      ).rejects.toThrow(/accounts/);
    } finally {
      await small.close();
    }
  });
});

describe("UIDSig is a check of a call in the user's session, not a credential", () => {
  test('setUID and notifyRegistration with UIDSig act on the account of the oauth_token sent with it, and refuse a call without one', async () => {
    const s = await freshSite();
    const login = await post(mock.url, 'socialize.notifyLogin', server(s, { siteUID: 'shop-7', targetEnv: 'mobile' }));
    expect(login.body.errorCode, login.text).toBe(0);
    const session = String(login.body.sessionInfo.sessionToken);
    const signed = await createUIDSignature({ secret: s.secret, siteUID: 'shop-8' });
    // The UID alone names nobody's session: a page could claim any user's UID.
    for (const method of ['socialize.setUID', 'socialize.notifyRegistration']) {
      expectError(
        await post(mock.url, method, { apiKey: s.apiKey, UID: 'shop-7', siteUID: 'shop-8', ...signed }),
        `/${method}`,
        403005,
        'oauth_token',
      );
    }
    const inSession = await post(mock.url, 'socialize.setUID', { apiKey: s.apiKey, oauth_token: session, siteUID: 'shop-8', ...signed });
    expect(inSession.body.errorCode, inSession.text).toBe(0);
    expect(await account(s, 'shop-8')).toMatchObject({ UID: 'shop-8' });
  });
});
