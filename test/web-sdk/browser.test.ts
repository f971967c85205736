// The seeds' social-login flow in real Chromium: the example site (examples/web-sdk/, its page and its
// server) against the mock as a process, the page loading the mock's stand-in gigya.js. A popup login as
// a new user, verified and registered with a siteUID by the site's server, then the same identity again
// (its UID is now the siteUID, and it is not new); the same with authFlow 'redirect'; notifyLogin firing
// onLogin before its callback; parameter errors and a closed popup reaching the callback; the stand-in
// refusing to run on a production host.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { validateUIDSignature } from '../../src/index.js';
// @ts-expect-error the example is plain JavaScript, without declarations
import { startSite } from '../../examples/web-sdk/server.mjs';

const cli = fileURLToPath(new URL('../../packages/mock/dist/cli.js', import.meta.url));
const apiKey = '3_webSdkBrowserSuite';
const secret = Buffer.from('web sdk browser suite partner secret').toString('base64');

type Entry = { kind: string; data: Record<string, any> };
interface Site {
  url: string;
  close(): Promise<void>;
}

let mock: { url: string; child: ChildProcess };
let site: Site;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const consoleLines: string[] = [];

/** Spawns the mock's CLI on a free port; resolves once it prints its URL (within 20 s). */
async function spawnMock(): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, [cli, '--port', '0', '--api-key', apiKey, '--secret', secret, '--quiet'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the mock printed no URL within 20 s:\n${output}`)), 20_000);
    const read = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const found = /http:\/\/127\.0\.0\.1:([1-9]\d*)/.exec(output);
      if (found) {
        clearTimeout(timer);
        resolve(found[0]);
      }
    };
    child.stdout!.on('data', read);
    child.stderr!.on('data', read);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the mock exited with ${code}:\n${output}`));
    });
  });
  return { url, child };
}

const log = (p: Page = page) => p.evaluate(() => (window as unknown as { exampleLog: Entry[] }).exampleLog);
const entries = async (kind: string, p: Page = page) => (await log(p)).filter((e) => e.kind === kind);

async function waitForEntry(kind: string, count = 1, p: Page = page): Promise<Entry> {
  await p.waitForFunction(
    ([k, n]) => (window as unknown as { exampleLog: Entry[] }).exampleLog.filter((e) => e.kind === k).length >= n,
    [kind, count] as const,
    { timeout: 30_000 },
  );
  return (await entries(kind, p))[count - 1]!;
}

async function openSite(): Promise<void> {
  await page.goto(`${site.url}/`);
  await waitForEntry('ready');
}

/** On the mock's identity page (mock_identity=choose): a new test identity by name, or one seen before. */
async function chooseIdentity(p: Page, name: string, isNew: boolean): Promise<void> {
  if (isNew) {
    await p.getByLabel('A new identity, named below').check();
    await p.getByLabel(/Name of a new identity/).fill(name);
  } else {
    await p.getByLabel(name, { exact: true }).check();
  }
  await p.getByRole('button', { name: 'Continue' }).click();
}

/** A popup login through the identity page; resolves once the stand-in has closed the popup. */
async function popupLogin(name: string, isNew: boolean): Promise<void> {
  const [popup] = await Promise.all([page.waitForEvent('popup'), page.click('#login-popup')]);
  const closed = popup.waitForEvent('close', { timeout: 30_000 });
  await chooseIdentity(popup, name, isNew);
  await closed;
}

const signatureValid = (r: Record<string, any>) =>
  validateUIDSignature({ secret, UID: r.UID, UIDSignature: r.UIDSignature, signatureTimestamp: r.signatureTimestamp });

beforeAll(async () => {
  mock = await spawnMock();
  site = await startSite({ port: 0, mockUrl: mock.url, apiKey, secret });
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
  });
}, 60_000);

beforeEach(async () => {
  await context?.close();
  context = await browser.newContext();
  // Only the site and the mock may be reached (shop.example is answered by the host-guard test itself).
  await context.route('**/*', (route) => {
    const url = route.request().url();
    return url.startsWith(site.url) || url.startsWith(mock.url) ? route.continue() : route.abort();
  });
  page = await context.newPage();
  page.on('console', (message) => consoleLines.push(`${message.type()}: ${message.text()}`));
});

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await site?.close();
  if (mock && mock.child.exitCode === null) {
    const exited = once(mock.child, 'exit');
    mock.child.kill('SIGTERM');
    await exited;
  }
});

describe('the stand-in script', () => {
  test('is one dependency-free script of at most 10 kB gzipped, announcing itself as a mock', async () => {
    const response = await fetch(`${mock.url}/js/gigya.js?apiKey=${apiKey}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/javascript/);
    const text = await response.text();
    expect(gzipSync(text).length).toBeLessThanOrEqual(10 * 1024);
    // Dependency-free: it loads nothing else (no imports, no script elements of its own).
    expect(text).not.toMatch(/\bimport\s*[({'"]|\brequire\(|createElement\(['"]script/);
    await openSite();
    expect(consoleLines.some((line) => line.startsWith('info: ') && line.includes('MOCK of Gigya'))).toBe(true);
    expect(await page.evaluate(() => typeof (window as any).gigya.socialize.addEventHandlers)).toBe('function');
  });

  test('refuses to run on a host that is not loopback, .localhost or .test, unless the script URL allows it', async () => {
    // A public page may not load from loopback (Chromium's private network access), so both the shop's
    // page and the mock's script are served under public names here, the script fetched from the mock.
    const html = (allow: string) =>
      `<!doctype html><title>shop</title><script src="http://mock.example/js/gigya.js?apiKey=${apiKey}${allow}"></script>`;
    await context.route(
      (url) => url.hostname === 'shop.example',
      (route) =>
        route.fulfill({
          contentType: 'text/html',
          body: html(new URL(route.request().url()).search === '?allowed' ? '&mockAllowHost=shop.example' : ''),
        }),
    );
    await context.route(
      (url) => url.hostname === 'mock.example',
      async (route) => {
        const { pathname, search } = new URL(route.request().url());
        await route.fulfill({ response: await route.fetch({ url: `${mock.url}${pathname}${search}` }) });
      },
    );
    const errors: string[] = [];
    page.on('console', (message) => message.type() === 'error' && errors.push(message.text()));
    await page.goto('http://shop.example/');
    await page.waitForFunction(() => document.readyState === 'complete');
    expect(await page.evaluate(() => typeof (window as any).gigya)).toBe('undefined');
    expect(
      errors.some((line) => line.includes('refuses to run on shop.example')),
      errors.join('\n'),
    ).toBe(true);
    await page.goto('http://shop.example/?allowed');
    await page.waitForFunction(() => typeof (window as any).gigya === 'object');
  });
});

describe("the seeds' flow", () => {
  test('popup login as a new user → the site verifies and registers a siteUID → the next login is that siteUID, not new', async () => {
    const name = `popup-${randomBytes(4).toString('hex')}`;
    await openSite();
    await popupLogin(name, true);
    const first = (await waitForEntry('login')).data;
    expect(first.errorCode, JSON.stringify(first)).toBe(0);
    expect(first.isNewUser).toBe(true);
    expect(first.context).toEqual({ from: 'popup-button' });
    expect(first.operation).toBe('socialize.login');
    expect(first.user.UID).toBe(first.UID);
    expect(await signatureValid(first)).toBe(true);
    const session = (await waitForEntry('session')).data;
    expect(session.registered).toBe(true);
    expect(session.siteUID).toMatch(/^site-user-\d+$/);
    // onLogin came first, with the same login.
    const order = (await log()).map((e) => e.kind);
    expect(order.indexOf('onLogin')).toBeLessThan(order.indexOf('login'));
    const event = (await entries('onLogin'))[0]!.data;
    expect(event).toMatchObject({ provider: 'facebook', UID: first.UID, isNewUser: true, context: { from: 'popup-button' } });

    await page.reload();
    await waitForEntry('ready');
    await popupLogin(name, false);
    const second = (await waitForEntry('login')).data;
    expect(second.errorCode, JSON.stringify(second)).toBe(0);
    expect(second.UID).toBe(session.siteUID);
    expect(second).not.toHaveProperty('isNewUser');
    expect(await signatureValid(second)).toBe(true);
    expect((await waitForEntry('session')).data).toEqual({ siteUID: session.siteUID, returning: true });
  });

  test("the same with authFlow 'redirect': the page goes to redirectURL with the seed's fields, by GET and by POST", async () => {
    const name = `redirect-${randomBytes(4).toString('hex')}`;
    const result = async () => JSON.parse((await page.textContent('#result'))!);
    await openSite();
    await page.click('#login-redirect');
    await chooseIdentity(page, name, true);
    await page.waitForURL(`${site.url}/login/done?**`);
    const first = await result();
    expect(first.method).toBe('GET');
    expect(first.received.isNewUser).toBe('true');
    expect(first.received.provider).toBe('twitter');
    expect(first.received.UIDSig).toBe(first.received.UIDSignature);
    expect(await signatureValid(first.received)).toBe(true);
    expect(first.registered).toBe(true);

    await openSite();
    await page.evaluate(
      (done) => (window as any).gigya.socialize.login({ provider: 'twitter', authFlow: 'redirect', redirectURL: done, redirectMethod: 'post' }),
      `${site.url}/login/done`,
    );
    await chooseIdentity(page, name, false);
    await page.waitForURL(`${site.url}/login/done`);
    const second = await result();
    expect(second.method).toBe('POST');
    expect(second.received.UID).toBe(first.siteUID);
    expect(second.received).not.toHaveProperty('isNewUser');
    expect(await signatureValid(second.received)).toBe(true);
    expect(second.returning).toBe(true);
  });

  test('notifyLogin from the page fires onLogin with provider site before its callback', async () => {
    await openSite();
    await page.fill('#site-uid', `site-${randomBytes(4).toString('hex')}`);
    await page.click('#site-login-button');
    const response = (await waitForEntry('notifyLogin')).data;
    expect(response.errorCode, JSON.stringify(response)).toBe(0);
    expect(response.context).toBe('site-form');
    expect(await signatureValid(response)).toBe(true);
    const kinds = (await log()).map((e) => e.kind);
    const event = (await entries('onLogin'))[0]!.data;
    expect(kinds.indexOf('onLogin')).toBeGreaterThan(-1);
    expect(kinds.indexOf('onLogin')).toBeLessThan(kinds.indexOf('notifyLogin'));
    expect(event).toMatchObject({ provider: 'site', UID: response.UID, context: 'site-form' });
  });
});

describe('errors reach the callback, as the Web SDK reports them', () => {
  const call = (method: string, params: Record<string, unknown>) =>
    page.evaluate(([m, p]) => new Promise<Record<string, any>>((resolve) => (window as any).gigya.socialize[m]({ ...p, callback: resolve })), [
      method,
      params,
    ] as const);

  test("a wrong, missing or unknown parameter gets Gigya's errorCode and names the parameter", async () => {
    await openSite();
    const wrongProvider = await call('login', { provider: 'myspace', context: { keep: 'me' } });
    expect(wrongProvider).toMatchObject({
      errorCode: 400006,
      errorMessage: 'Invalid parameter value',
      operation: 'socialize.login',
      context: { keep: 'me' },
    });
    expect(wrongProvider.errorDetails).toMatch(/^provider: /);
    const noRedirect = await call('login', { provider: 'twitter', authFlow: 'redirect' });
    expect(noRedirect).toMatchObject({ errorCode: 400002, errorDetails: 'Missing required parameter: redirectURL' });
    const unknown = await call('setUID', { siteUID: 'u1', UIDSig: 'jNQkbuGO6L9nVa0Nt9T6aPlosYQ=', UIDTimestamp: '1700000000', redirectUrl: 'x' });
    expect(unknown.errorCode).toBe(403007);
    expect(unknown.errorDetails).toMatch(/^redirectUrl: not a parameter of socialize\.setUID/);
    const long = await call('notifyLogin', {
      siteUID: 'u1',
      UIDSig: 'jNQkbuGO6L9nVa0Nt9T6aPlosYQ=',
      UIDTimestamp: '1700000000',
      cid: 'c'.repeat(101),
    });
    expect(long).toMatchObject({ errorCode: 400006, errorDetails: 'cid: must be at most 100 characters' });
    const neither = await call('notifyLogin', {});
    expect(neither).toMatchObject({ errorCode: 400002, errorDetails: 'Missing required parameter: siteUID or providerSessions' });
  });

  test('an error of the REST method behind comes back through the callback too', async () => {
    await openSite();
    const forged = await call('notifyLogin', {
      siteUID: 'u1',
      UIDSig: 'AAAAAAAAAAAAAAAAAAAAAAAAAAA=',
      UIDTimestamp: String(Math.floor(Date.now() / 1000)),
      context: 7,
    });
    expect(forged).toMatchObject({ errorCode: 403003, operation: 'socialize.notifyLogin', context: 7 });
    expect(forged.errorDetails).toContain('UIDSig');
    expect(await entries('onLogin')).toEqual([]);
  });

  test('a popup closed before the login finished answers 200001, Operation canceled', async () => {
    await openSite();
    const [popup] = await Promise.all([page.waitForEvent('popup'), page.click('#login-popup')]);
    await popup.close();
    const response = (await waitForEntry('login')).data;
    expect(response).toMatchObject({ errorCode: 200001, errorMessage: 'Operation canceled', context: { from: 'popup-button' } });
    expect(response.errorDetails).toMatch(/^popup: /);
  });
});
