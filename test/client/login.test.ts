// The login redirect: building the URL the browser goes to, and reading and verifying what comes back.
import { describe, expect, test } from 'vitest';
import { createSocializeClient, GigyaError, InvalidParameterError, LoginRedirectError, parseLoginRedirect } from '../../src/index.js';
import { referenceHmac } from '../helpers/reference-signature.js';

const secret = 'AAECAwQFBgcICQoLDA0ODw==';
const client = createSocializeClient({ apiKey: '3_KEY', dataCenter: 'eu1', credentials: { secret } });

describe('loginUrl', () => {
  test('puts the parameters and client_id in the query, with booleans and numbers spelled out', () => {
    const url = new URL(
      client.loginUrl({
        x_provider: 'facebook',
        redirect_uri: 'https://example.com/login/done?from=home',
        response_type: 'token',
        state: 'af0i fj&x',
        finalizeRegistration: false,
        x_session_expiration: 3600,
        x_cid: undefined,
      }),
    );
    expect(url.origin + url.pathname).toBe('https://socialize.eu1.gigya.com/socialize.login');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      x_provider: 'facebook',
      redirect_uri: 'https://example.com/login/done?from=home',
      response_type: 'token',
      state: 'af0i fj&x',
      finalizeRegistration: 'false',
      x_session_expiration: '3600',
      client_id: '3_KEY',
    });
    expect(url.href).not.toContain(encodeURIComponent(secret));
  });

  test.each([
    [{ redirect_uri: 'https://e.test/', response_type: 'token' }, 'x_provider'],
    [{ x_provider: 'facebook', redirect_uri: '/relative', response_type: 'token' }, 'redirect_uri'],
    [{ x_provider: 'facebook', redirect_uri: 'javascript:alert(1)', response_type: 'token' }, 'redirect_uri'],
    [{ x_provider: 'facebook', redirect_uri: 'https://e.test/', response_type: 'id_token' }, 'response_type'],
    [{ x_provider: 'facebook', redirect_uri: 'https://e.test/', response_type: 'code', x_cid: 'c'.repeat(101) }, 'x_cid'],
    [{ x_provider: 'facebook', redirect_uri: 'https://e.test/', response_type: 'code', client_id: 'other' }, 'client_id'],
    [{ x_provider: 'facebook', redirect_uri: 'https://e.test/', response_type: 'code', secret }, 'secret'],
  ])('refuses %j naming %s', (params, parameter) => {
    expect(() => client.loginUrl(params as never)).toThrowError(InvalidParameterError);
    expect(() => client.loginUrl(params as never)).toThrowError(expect.objectContaining({ parameter }));
  });
});

describe('parseLoginRedirect', () => {
  const now = 1_700_000_000;
  const UID = '_gid_Maxa3fCszqWc1A1D1HsoHg==';
  const UIDSignature = referenceHmac(secret, `${now}_${UID}`);
  const query = new URLSearchParams({
    UID,
    UIDSignature,
    signatureTimestamp: String(now),
    state: 'st-1',
    loginProvider: 'facebook',
    birthYear: '1996',
    isNewUser: 'true',
    nickname: 'Zoë',
  });
  const redirect = `https://example.com/login/done?${query}`;

  test('returns the verified result with numbers and booleans parsed', async () => {
    await expect(parseLoginRedirect(redirect, { secret, state: 'st-1', now })).resolves.toEqual({
      UID,
      UIDSignature,
      signatureTimestamp: String(now),
      state: 'st-1',
      loginProvider: 'facebook',
      birthYear: 1996,
      isNewUser: true,
      nickname: 'Zoë',
    });
  });

  test('reads the fragment too, and accepts a query string, URL, URLSearchParams or object', async () => {
    const fragment = `https://example.com/done#${query}&access_token=tok&expires_in=3600`;
    await expect(parseLoginRedirect(fragment, { secret, now })).resolves.toMatchObject({ UID, access_token: 'tok', expires_in: 3600 });
    await expect(parseLoginRedirect(`?${query}`, { secret, now })).resolves.toMatchObject({ UID });
    await expect(parseLoginRedirect(`${query}`, { secret, now })).resolves.toMatchObject({ UID });
    await expect(parseLoginRedirect(`/login/done?${query}#access_token=t`, { secret, now })).resolves.toMatchObject({
      UID,
      access_token: 't',
    });
    await expect(parseLoginRedirect(new URL(redirect), { secret, now })).resolves.toMatchObject({ UID });
    await expect(parseLoginRedirect(query, { secret, now })).resolves.toMatchObject({ UID });
    await expect(parseLoginRedirect(Object.fromEntries(query), { secret, now })).resolves.toMatchObject({ UID });
  });

  async function refusal(input: string, options: Parameters<typeof parseLoginRedirect>[1]) {
    return parseLoginRedirect(input, options).then(
      () => undefined,
      (e: unknown) => e,
    );
  }

  test('a forged signature, a changed UID or a stale timestamp is refused', async () => {
    const forged = redirect.replace(encodeURIComponent(UIDSignature), encodeURIComponent(referenceHmac(secret, 'other')));
    await expect(refusal(forged, { secret, now })).resolves.toMatchObject({ reason: 'invalid-signature' });
    const otherUser = redirect.replace('_gid_', '_gid_x');
    await expect(refusal(otherUser, { secret, now })).resolves.toBeInstanceOf(LoginRedirectError);
    await expect(refusal(redirect, { secret, now: now + 181 })).resolves.toMatchObject({ reason: 'invalid-signature' });
    await expect(refusal(redirect, { secret: 'AAAAAAAAAAAAAAAAAAAAAA==', now })).resolves.toMatchObject({ reason: 'invalid-signature' });
  });

  test('a UID without a signature is refused', async () => {
    await expect(refusal(`https://e.test/?UID=${UID}`, { secret, now })).resolves.toMatchObject({ reason: 'missing-signature' });
  });

  test('a state that is not ours is refused', async () => {
    await expect(refusal(redirect, { secret, now, state: 'st-2' })).resolves.toMatchObject({ reason: 'state-mismatch' });
    await expect(refusal(`https://e.test/?code=abc`, { secret, now, state: 'st-1' })).resolves.toMatchObject({
      reason: 'state-mismatch',
    });
  });

  test('an error result becomes a GigyaError', async () => {
    const error = await refusal('https://e.test/?errorCode=200001&errorMessage=Operation%20canceled&callId=abc&state=s', {
      secret,
      state: 's',
    });
    expect(error).toBeInstanceOf(GigyaError);
    expect(error).toMatchObject({ method: 'socialize.login', errorCode: 200001, errorMessage: 'Operation canceled', callId: 'abc' });
  });

  test('a code-only result has nothing to verify', async () => {
    await expect(parseLoginRedirect('https://e.test/?code=abc&state=s', { secret, state: 's' })).resolves.toEqual({
      code: 'abc',
      state: 's',
    });
  });

  test('the secret is required', async () => {
    await expect(refusal(redirect, {} as never)).resolves.toMatchObject({ parameter: 'secret' });
  });
});
