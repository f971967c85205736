// The client against the real mock server, started as a child process the way a team starts it
// (`node packages/mock/dist/cli.js`, built by the mock suite's global setup): every method's success and an
// error through the shared suite, then what only a real Gigya-shaped server can show — a forged UIDSig, a
// wrong partner secret, signed requests and their replay, the login redirect read back by the client.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  createSocializeClient,
  createUIDSignature,
  GigyaError,
  parseLoginRedirect,
  type SocializeClient,
} from '../../src/index.js';
import { startCli, stopCli, type RunningCli } from '../helpers/mock-cli.js';
import { clientSuite } from './server-suite.js';

// A site of the test's own, so the test does not depend on the mock's defaults.
const apiKey = '3_clientAgainstMockProcess';
const secret = Buffer.from('client suite partner secret').toString('base64');

interface MockProcess {
  baseUrl: string;
  close(): Promise<void>;
}

// One mock process for the whole file: no test here needs a mock of its own (each call names its own
// siteUID, nonces are fresh), and a start costs most of a second of CPU.
let started: Promise<RunningCli> | undefined;
async function sharedMock(): Promise<MockProcess> {
  started ??= startCli(['--api-key', apiKey, '--secret', secret]);
  const mock = await started;
  // Stopped once, after every test of the file (below).
  return { baseUrl: mock.url, close: async () => {} };
}
afterAll(async () => {
  if (!started) return;
  expect(await stopCli(await started)).toEqual({ code: 0, signal: null });
});

clientSuite('the mock server process', async () => {
  const mock = await sharedMock();
  const scenario = (name: string) => ({ headers: { Prefer: `example=${name}` } });
  return {
    baseUrl: mock.baseUrl,
    apiKey,
    secret,
    close: mock.close,
    errorCases: {
      // A scenario picked with Prefer, as a frontend team picks one.
      'socialize.setUID': { params: { UID: '_gid_abc', siteUID: 'site-user-42' }, options: scenario('unauthorizedUser'), errorCode: 403005 },
      // Real checks of the mock: a UIDSig that the test site's secret did not make, and one too old.
      'socialize.notifyRegistration': {
        params: { UID: '_gid_abc', siteUID: 'site-user-42', UIDSig: 'AAAAAAAAAAAAAAAAAAAAAAAAAAA=', UIDTimestamp: String(Math.floor(Date.now() / 1000)) },
        errorCode: 403003,
      },
      'socialize.notifyLogin': {
        params: { siteUID: 'site-user-42', UIDSig: 'AAAAAAAAAAAAAAAAAAAAAAAAAAA=', UIDTimestamp: String(Math.floor(Date.now() / 1000) - 3600) },
        errorCode: 403002,
      },
    },
  };
});

describe('client against the mock server process: credentials and signatures', () => {
  let mock: MockProcess;
  let client: SocializeClient;
  beforeAll(async () => {
    mock = await sharedMock();
    client = createSocializeClient({ apiKey, baseUrl: mock.baseUrl, credentials: { secret } });
  });

  test('a UIDSig made by createUIDSignature with the site secret is accepted', async () => {
    const { UIDSig, UIDTimestamp } = await createUIDSignature({ secret, siteUID: 'site-user-42' });
    const browser = createSocializeClient({ apiKey, baseUrl: mock.baseUrl });
    const answer = await browser.notifyLogin({ siteUID: 'site-user-42', UIDSig, UIDTimestamp });
    expect(answer.errorCode).toBe(0);
  });

  test('a wrong partner secret is refused with 403003, and the secret is in no message', async () => {
    const wrong = Buffer.from('not the site secret').toString('base64');
    const other = createSocializeClient({ apiKey, baseUrl: mock.baseUrl, credentials: { secret: wrong } });
    const error = await other.setUID({ UID: '_gid_abc', siteUID: 'site-user-42' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GigyaError);
    expect((error as GigyaError).errorCode).toBe(403003);
    expect(JSON.stringify(error)).not.toContain(wrong);
    expect((error as GigyaError).message).not.toContain(wrong);
  });

  test('signed requests (timestamp, nonce, sig; no secret sent) are accepted, call after call', async () => {
    const signed = createSocializeClient({ apiKey, baseUrl: mock.baseUrl, credentials: { secret, sign: true } });
    // setUID may link another siteUID each time (notifyRegistration finishes a registration once).
    for (let i = 0; i < 3; i++) {
      const answer = await signed.setUID({ UID: '_gid_Maxa3fCszqWc1A1D1HsoHg==', siteUID: `site-user-signed-${i}` });
      expect(answer.errorCode).toBe(0);
    }
  });

  test('a signed request replayed with the same nonce is refused with 403004', async () => {
    // Capture one signed request as the client sends it, then send the same bytes twice.
    let captured: { url: string; body: string } | undefined;
    const signed = createSocializeClient({
      apiKey,
      baseUrl: mock.baseUrl,
      credentials: { secret, sign: true },
      fetch: async (request: Request) => {
        captured = { url: request.url, body: await request.clone().text() };
        return fetch(request);
      },
    });
    await signed.setUID({ UID: '_gid_Maxa3fCszqWc1A1D1HsoHg==', siteUID: 'site-user-replay' });
    expect(captured?.body).toContain('nonce=');
    expect(captured?.body).not.toContain('secret=');
    const replay = await fetch(captured!.url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: captured!.body,
    });
    const body = (await replay.json()) as { errorCode: number };
    expect(body.errorCode).toBe(403004);
  });

  test('the login redirect carries a result that parseLoginRedirect verifies with the site secret', async () => {
    const url = client.loginUrl({
      x_provider: 'googleplus',
      redirect_uri: 'https://app.example.com/after-login',
      response_type: 'token',
      state: 'state-123',
    });
    const answer = await fetch(url, { redirect: 'manual' });
    expect(answer.status).toBe(302);
    const location = answer.headers.get('location')!;
    expect(location.startsWith('https://app.example.com/after-login')).toBe(true);
    const result = await parseLoginRedirect(location, { secret, state: 'state-123' });
    expect(typeof result.UID).toBe('string');
    await expect(parseLoginRedirect(location, { secret: Buffer.from('other').toString('base64'), state: 'state-123' })).rejects.toThrow();
  });

  test('a login the mock refuses answers Gigya\'s envelope in place of the redirect', async () => {
    const url = client.loginUrl({ x_provider: 'not-a-network', redirect_uri: 'https://app.example.com/after-login', response_type: 'token' });
    const answer = await fetch(url, { redirect: 'manual' });
    expect(answer.status).toBe(200);
    const body = (await answer.json()) as { errorCode: number; errorDetails: string };
    expect(body.errorCode).toBe(400006);
    expect(body.errorDetails).toContain('x_provider');
  });
});
