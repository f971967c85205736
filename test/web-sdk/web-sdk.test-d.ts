// Type tests for a page's `window.gigya` (gigya-socialize-contract/web-sdk): the compile errors a
// frontend developer meets, each on the exact line that is wrong.
import { describe, expectTypeOf, test } from 'vitest';
import type { Gigya, LoginParams, WebSdkLoginEvent, WebSdkLoginResponse, WebSdkNotifyLoginResponse, WebSdkResponse } from '../../src/web-sdk.js';

declare const gigya: Gigya;
const signed = { UIDSig: 'jNQkbuGO6L9nVa0Nt9T6aPlosYQ=', UIDTimestamp: '1700000000' };

describe('gigya.socialize.login', () => {
  test('takes a provider of the contract, and nothing else', () => {
    gigya.socialize.login({ provider: 'facebook' });
    gigya.socialize.login({ provider: 'saml-corporate' });
    // @ts-expect-error myspace is not a provider
    gigya.socialize.login({ provider: 'myspace' });
    // @ts-expect-error provider is required
    gigya.socialize.login({ authFlow: 'popup' });
    gigya.socialize.login({
      provider: 'google' as 'googleplus',
      // @ts-expect-error redirectUrl is not a parameter (redirectURL is)
      redirectUrl: 'https://example.com/done',
    });
  });

  test("authFlow 'redirect' needs redirectURL", () => {
    gigya.socialize.login({ provider: 'twitter', authFlow: 'redirect', redirectURL: 'https://example.com/done' });
    gigya.socialize.login({ provider: 'twitter', authFlow: 'popup' });
    // @ts-expect-error redirectURL is required with authFlow 'redirect'
    gigya.socialize.login({ provider: 'twitter', authFlow: 'redirect' });
    // @ts-expect-error authFlow is popup or redirect
    gigya.socialize.login({ provider: 'twitter', authFlow: 'tab' });
  });

  test('the callback receives the login response', () => {
    gigya.socialize.login({
      provider: 'facebook',
      context: { step: 1 },
      callback(response) {
        expectTypeOf(response).toEqualTypeOf<WebSdkLoginResponse>();
        expectTypeOf(response.UID).toEqualTypeOf<string | undefined>();
        expectTypeOf(response.isNewUser).toEqualTypeOf<boolean | undefined>();
        expectTypeOf(response.errorCode).toEqualTypeOf<number>();
      },
    });
    gigya.socialize.login({
      provider: 'facebook',
      // @ts-expect-error the callback gets one response object, not (error, data)
      callback: (error: Error | null, data: { UID: string }) => void [error, data],
    });
    gigya.socialize.login({
      provider: 'facebook',
      // @ts-expect-error response.UID is a string, not a number
      callback: (response: { UID: number }) => void response,
    });
  });
});

describe('the other methods', () => {
  test('setUID needs siteUID; notifyLogin needs siteUID or providerSessions', () => {
    gigya.socialize.setUID({ siteUID: 'site-user-42', ...signed });
    // @ts-expect-error siteUID is required by setUID
    gigya.socialize.setUID({ ...signed });
    gigya.socialize.notifyLogin({ siteUID: 'site-user-42', ...signed });
    gigya.socialize.notifyLogin({ providerSessions: { facebook: { authToken: 't' } } });
    gigya.socialize.notifyRegistration();
    // @ts-expect-error newUser is a boolean
    gigya.socialize.notifyLogin({ siteUID: 'site-user-42', ...signed, newUser: 'yes' });
  });

  test('each callback is typed by its method', () => {
    gigya.socialize.notifyLogin({ siteUID: 's', ...signed, callback: (r) => expectTypeOf(r).toEqualTypeOf<WebSdkNotifyLoginResponse>() });
    gigya.socialize.setUID({ siteUID: 's', ...signed, callback: (r) => expectTypeOf(r).toEqualTypeOf<WebSdkResponse>() });
    gigya.socialize.notifyRegistration({ callback: (r) => expectTypeOf(r.operation).toEqualTypeOf<string | undefined>() });
    gigya.socialize.addEventHandlers({ onLogin: (e) => expectTypeOf(e).toEqualTypeOf<WebSdkLoginEvent>() });
    // @ts-expect-error onLogin receives the event object, whose UID is a string
    gigya.socialize.addEventHandlers({ onLogin: (e: { UID: number }) => void e });
  });

  test('deprecated parameters are still accepted and marked @deprecated', () => {
    // The editor strikes these through; the compiler accepts them.
    gigya.socialize.setUID({ siteUID: 's', signature: signed.UIDSig, timestamp: signed.UIDTimestamp });
    gigya.socialize.notifyLogin({ provider: 'facebook', authToken: 't' });
    expectTypeOf<LoginParams>().not.toBeAny();
  });

  test('window.gigya is declared', () => {
    expectTypeOf(window.gigya).toEqualTypeOf<Gigya | undefined>();
  });
});
