// The package in a real browser (headless Chromium): the source bundled for the browser by esbuild, loaded
// from the loopback test server (a secure context, so Web Crypto is there), then the published signature
// vectors and real client calls, signed and verified by the server's independent node:crypto check.
import { build } from 'esbuild';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startGigyaServer, type GigyaServer } from '../helpers/gigya-server.js';
import { javaSdkVector } from '../helpers/signature-fixtures.js';

type Lib = typeof import('../../src/index.js');

const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
let server: GigyaServer;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];

beforeAll(async () => {
  const bundle = await build({
    entryPoints: [new URL('../../src/index.ts', import.meta.url).pathname],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    logLevel: 'silent',
  });
  server = await startGigyaServer({
    '/': {
      type: 'text/html',
      body: '<!doctype html><title>client</title><script type="module">import * as lib from "/client.js"; window.lib = lib;</script>',
    },
    '/client.js': { type: 'text/javascript', body: bundle.outputFiles[0]!.text },
  });
  browser = await chromium.launch({
    executablePath: chromiumPath,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
  });
  page = await browser.newPage();
  page.on('pageerror', (error) => pageErrors.push(error.message));
  // Only the loopback test server may be reached.
  await page.route('**/*', (route) => (route.request().url().startsWith(server.baseUrl) ? route.continue() : route.abort()));
  await page.goto(`${server.baseUrl}/`);
  await page.waitForFunction(() => 'lib' in window);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

test('signature vectors give the published answers in the browser', async () => {
  const results = await page.evaluate(async (java) => {
    const lib = (window as unknown as { lib: Lib }).lib;
    const secret = 'AAECAwQFBgcICQoLDA0ODw==';
    return {
      secureContext: window.isSecureContext,
      uid: await lib.createUIDSignature({ secret, siteUID: 'site-user-42', timestamp: 1700000000 }),
      utf8: await lib.hmacSha1(secret, '1700000000_José'),
      javaSdk: await lib.signRequest({ secret: java.secret, method: 'POST', url: java.url, params: java.params }),
      androidSdk: await lib.signRequest({
        secret: 'asda34asfasfj9fuas',
        method: 'POST',
        url: 'https://sociallize.us1.gigya.com/socialize.getSDKConfig',
        params: { ApiKey: 'someApiKey', timestamp: '1545905337', nonce: '1545905337000_1' },
      }),
      valid: await lib.validateUIDSignature({
        secret,
        UID: 'site-user-42',
        UIDSignature: 'jNQkbuGO6L9nVa0Nt9T6aPlosYQ=',
        signatureTimestamp: '1700000000',
        now: 1700000100,
      }),
      stale: await lib.validateUIDSignature({
        secret,
        UID: 'site-user-42',
        UIDSignature: 'jNQkbuGO6L9nVa0Nt9T6aPlosYQ=',
        signatureTimestamp: '1700000000',
        now: 1700000181,
      }),
    };
  }, javaSdkVector);
  expect(results).toEqual({
    secureContext: true,
    uid: { UIDSig: 'jNQkbuGO6L9nVa0Nt9T6aPlosYQ=', UIDTimestamp: '1700000000' },
    utf8: '6CSgfopoj5EXvNicHodJ+gVHK1k=',
    javaSdk: javaSdkVector.sig,
    androidSdk: 'nC69hzGbTdPW3WlUl6k0ZeCd0CY=',
    valid: true,
    stale: false,
  });
  expect(pageErrors).toEqual([]);
});

test('the client calls the server from the browser: signed, with a UIDSig, and an error', async () => {
  const before = server.requests.length;
  const outcome = await page.evaluate(
    async ({ apiKey, secret }) => {
      const lib = (window as unknown as { lib: Lib }).lib;
      const baseUrl = location.origin;
      const signed = lib.createSocializeClient({ apiKey, baseUrl, credentials: { secret, sign: true } });
      const setUID = await signed.setUID({ UID: '_gid_abc', siteUID: 'site user/42' });
      const browserSide = lib.createSocializeClient({ apiKey, baseUrl });
      const UIDSig = await lib.createUIDSignature({ secret, siteUID: 'site-user-42' });
      const login = await browserSide.notifyLogin({ siteUID: 'site-user-42', userInfo: { firstName: 'Zoë', age: 30 }, ...UIDSig });
      const error = (await signed.setUID({ UID: '_gid_abc', siteUID: 'unauthorized' }).catch((e: unknown) => e)) as InstanceType<Lib['GigyaError']>;
      return {
        setUID: setUID.errorCode,
        loginUID: login.UID,
        loginSignatureValid: await lib.validateUIDSignature({
          secret,
          UID: login.UID,
          UIDSignature: login.UIDSignature!,
          signatureTimestamp: login.signatureTimestamp!,
        }),
        error: { isGigyaError: error instanceof lib.GigyaError, errorCode: error.errorCode, method: error.method },
      };
    },
    { apiKey: server.apiKey, secret: server.secret },
  );
  expect(outcome).toEqual({
    setUID: 0,
    loginUID: 'site-user-42',
    loginSignatureValid: true,
    error: { isGigyaError: true, errorCode: 403005, method: 'socialize.setUID' },
  });
  const [signedCall, loginCall] = server.requests.slice(before);
  expect(signedCall!.fields.sig).toMatch(/^[A-Za-z0-9+/]{27}=$/);
  expect(signedCall!.fields.secret).toBeUndefined();
  expect(JSON.parse(loginCall!.fields.userInfo!)).toEqual({ firstName: 'Zoë', age: 30 });
  expect(pageErrors).toEqual([]);
});
