// What the benchmarks send and expect, taken from the bundled contract so that every server answers the
// same request with the same body.
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { parse } from 'yaml';
import { root } from './proc.mjs';

/** The bundled contract every server in the benchmarks serves. */
export const bundledContract = join(root, 'generated', 'openapi.yaml');

/** The test site the benchmarks sign in to (made-up values; Base64 secret as Gigya's consoles show them). */
export const site = { apiKey: '3_benchmarkSite0123456789', secret: 'YmVuY2htYXJrIHBhcnRuZXIgc2VjcmV0IChwdWJsaWMp' };

/** The notifyLogin call every client and server benchmark makes: a server call with the partner secret. */
export const notifyLoginForm = new URLSearchParams({
  siteUID: 'site-user-42',
  apiKey: site.apiKey,
  format: 'json',
  secret: site.secret,
}).toString();

/** The contract's own example of a successful answer, as JSON text (`NotifyLoginBrowser` by default; `Ok` is setUID's). */
export function successAnswer(name = 'NotifyLoginBrowser') {
  const contract = parse(readFileSync(bundledContract, 'utf8'));
  const example = contract.components?.examples?.[name]?.value;
  if (example?.errorCode !== 0) throw new Error(`generated/openapi.yaml has no ${name} success example`);
  return JSON.stringify(example);
}

/** The contract's own example of a successful notifyLogin answer (from a browser), as JSON text. */
export const notifyLoginAnswer = () => successAnswer('NotifyLoginBrowser');

/**
 * POSTs the notifyLogin form to `url` on a fresh connection; resolves true when the answer is HTTP 200 with
 * errorCode 0. Plain node:http rather than fetch: fetch loads lazily on first use, which would be counted
 * in whichever server's time to first answer came first.
 */
export function answersNotifyLogin(url) {
  return new Promise((resolve, reject) => {
    const req = request(`${url}/socialize.notifyLogin`, {
      method: 'POST',
      agent: false,
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(notifyLoginForm) },
    });
    req.on('error', reject);
    req.on('response', (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => (text += chunk));
      res.on('error', reject);
      res.on('end', () => {
        try {
          resolve(res.statusCode === 200 && JSON.parse(text).errorCode === 0);
        } catch {
          resolve(false);
        }
      });
    });
    req.setTimeout(10_000, () => req.destroy(new Error('no answer within 10 s')));
    req.end(notifyLoginForm);
  });
}

/**
 * Checks answers under load: `expectOk(label)` is an autocannon `onResponse` that counts every answer that
 * is not HTTP 200 with errorCode 0 in `wrong` (a mock answers its errors with HTTP 200, so autocannon's own
 * non-2xx count would not see them), keeping the first few for the message.
 */
export function answerCheck() {
  const wrong = { count: 0, samples: [] };
  const expectOk = (label) => (status, body) => {
    let ok = status === 200;
    if (ok) {
      try {
        ok = JSON.parse(body).errorCode === 0;
      } catch {
        ok = false;
      }
    }
    if (!ok) {
      wrong.count++;
      if (wrong.samples.length < 5) wrong.samples.push(`${label}: HTTP ${status} ${String(body).slice(0, 300)}`);
    }
  };
  return { wrong, expectOk };
}
