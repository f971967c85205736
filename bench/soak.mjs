#!/usr/bin/env node
// `npm run soak`: a bounded soak of the mock server on loopback. Starts the built mock
// (packages/mock/dist/cli.js) as a child process, or uses a running one (--url), and keeps 50 connections busy
// for 30 s with a mix of valid calls of the four methods, each connection cycling through:
//   socialize.setUID              from a server, with the partner secret
//   socialize.notifyRegistration  from a browser, with a UIDSig made just before the request
//   socialize.notifyLogin         from a server, with the partner secret and userInfo as JSON text
//   socialize.notifyLogin         a signed request (timestamp, a fresh nonce, sig): the secret never travels
//   socialize.login               the browser's GET, answered by a 302 to redirect_uri
// Every answer is checked: HTTP 200 with errorCode 0 (302 with a Location on redirect_uri for the login).
// Prints requests, req/s, p50/p99 latency, errors, timeouts, unexpected statuses and wrong answers, and
// exits 1 when any request failed. Not a benchmark: the figures are what this machine did in this run.
//
// Usage: node bench/soak.mjs [--connections 50] [--duration 30] [--url http://127.0.0.1:4010
//        --api-key <key> --secret <base64>]
import { createHmac } from 'node:crypto';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { answerCheck, answersNotifyLogin, site } from './lib/contract.mjs';
import { ensureCompiled } from '../scripts/freshness.mjs';
import { freePort, root, start, untilAnswered } from './lib/proc.mjs';

const { values } = parseArgs({
  options: {
    connections: { type: 'string', default: '50' },
    duration: { type: 'string', default: '30' },
    url: { type: 'string' },
    'api-key': { type: 'string' },
    secret: { type: 'string' },
    help: { type: 'boolean', default: false },
  },
});
if (values.help) {
  console.log('Usage: node bench/soak.mjs [--connections 50] [--duration 30] [--url <mock URL> --api-key <key> --secret <base64>]');
  process.exit(0);
}
function positive(flag, text, integer) {
  const n = Number(text);
  if (!Number.isFinite(n) || n <= 0 || (integer && !Number.isInteger(n))) {
    console.error(`--${flag}: expected a positive ${integer ? 'integer' : 'number'}, got "${text}"`);
    process.exit(2);
  }
  return n;
}
const connections = positive('connections', values.connections, true);
const duration = positive('duration', values.duration, false);
if (values.url && !(values['api-key'] && values.secret)) {
  console.error('--url: give the running mock\'s --api-key and --secret too');
  process.exit(2);
}
const apiKey = values['api-key'] ?? site.apiKey;
const secret = values.secret ?? site.secret;
const key = Buffer.from(secret, 'base64');

// Gigya's signatures (see openapi/introduction.md), with node:crypto so that making them costs the load
// generator little: HMAC-SHA1 under the Base64-decoded secret, Base64 out.
const hmac = (message) => createHmac('sha1', key).update(message, 'utf8').digest('base64');
const rfc3986 = (value) => encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
const form = (params) => new URLSearchParams(params).toString();
const now = () => String(Math.floor(Date.now() / 1000));

let server;
let url = values.url?.replace(/\/+$/, '');
if (!url) {
  ensureCompiled(); // says what it compiles and why
  const port = await freePort();
  url = `http://127.0.0.1:${port}`;
  server = start(process.execPath, [
    join(root, 'packages', 'mock', 'dist', 'cli.js'), '--port', String(port), '--api-key', apiKey, '--secret', secret, '--quiet',
  ]);
  try {
    await untilAnswered(server, () => answersNotifyLogin(url), { since: performance.now() });
  } catch (error) {
    await server.stop();
    console.error(`the mock did not start: ${error.message}`);
    process.exit(1);
  }
}

/** A signed notifyLogin body: every parameter that goes out is covered by sig, the secret is not sent. */
let nonces = 0;
function signedNotifyLogin() {
  const params = {
    apiKey,
    format: 'json',
    siteUID: 'site-user-signed',
    timestamp: now(),
    nonce: `soak_${process.pid}_${Date.now()}_${++nonces}`,
  };
  const query = Object.keys(params)
    .sort()
    .map((name) => `${rfc3986(name)}=${rfc3986(params[name])}`)
    .join('&');
  const base = `POST&${rfc3986(`${url}/socialize.notifyLogin`)}&${rfc3986(query)}`;
  return form({ ...params, sig: hmac(base) });
}

const redirectUri = 'https://example.com/login/done';
const { wrong, expectOk } = answerCheck();
const formHeaders = { 'content-type': 'application/x-www-form-urlencoded' };
const loginQuery = form({ x_provider: 'facebook', client_id: apiKey, redirect_uri: redirectUri, response_type: 'token', state: 'soak' });

const requests = [
  {
    method: 'POST',
    path: '/socialize.setUID',
    headers: formHeaders,
    body: form({ apiKey, secret, UID: '_gid_soakUser', siteUID: 'site-user-soak', format: 'json' }),
    onResponse: expectOk('setUID'),
  },
  {
    method: 'POST',
    path: '/socialize.notifyRegistration',
    headers: formHeaders,
    setupRequest: (request) => {
      const UIDTimestamp = now();
      const siteUID = 'site-user-registered';
      request.body = form({ apiKey, siteUID, UIDTimestamp, UIDSig: hmac(`${UIDTimestamp}_${siteUID}`) });
      return request;
    },
    onResponse: expectOk('notifyRegistration'),
  },
  {
    method: 'POST',
    path: '/socialize.notifyLogin',
    headers: formHeaders,
    body: form({
      apiKey, secret, siteUID: 'site-user-42', newUser: 'false', sessionExpiration: '3600',
      userInfo: JSON.stringify({ firstName: 'David', lastName: 'Blair', age: 30 }),
    }),
    onResponse: expectOk('notifyLogin'),
  },
  {
    method: 'POST',
    path: '/socialize.notifyLogin',
    headers: formHeaders,
    setupRequest: (request) => {
      request.body = signedNotifyLogin();
      return request;
    },
    onResponse: expectOk('notifyLogin (signed)'),
  },
  {
    method: 'GET',
    path: `/socialize.login?${loginQuery}`,
    onResponse: (status, body, _context, headers) => {
      const location = headers?.location ?? headers?.Location;
      if (status !== 302 || typeof location !== 'string' || !location.startsWith(redirectUri)) {
        wrong.count++;
        if (wrong.samples.length < 5) wrong.samples.push(`login: HTTP ${status} location=${location} ${String(body).slice(0, 200)}`);
      }
    },
  },
];

console.log(`soak: ${connections} connections for ${duration} s against ${url}${server ? ' (packages/mock/dist/cli.js, started for this run)' : ''}`);
console.log('mix per connection: setUID (partner secret), notifyRegistration (UIDSig), notifyLogin (partner secret, userInfo),');
console.log('                    notifyLogin (signed request, fresh nonce), socialize.login (302 to redirect_uri)');

let result;
try {
  result = await autocannon({
    url,
    connections,
    duration,
    requests,
    timeout: 10,
  });
} finally {
  await server?.stop();
}

const statuses = Object.fromEntries(Object.entries(result.statusCodeStats ?? {}).map(([code, s]) => [code, Number(s.count)]));
const unexpected = Object.entries(statuses).filter(([code]) => code !== '200' && code !== '302').reduce((n, [, c]) => n + c, 0);
const total = result.requests.total;
const failed = result.errors + result.timeouts + unexpected + wrong.count;
console.log(`requests: ${total} in ${result.duration.toFixed(1)} s (${Math.round(total / result.duration)} req/s)`);
console.log(`latency: p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, max ${result.latency.max} ms`);
console.log(`statuses: ${Object.entries(statuses).map(([c, n]) => `${c}: ${n}`).join(', ') || 'none'} (302 is socialize.login's redirect)`);
console.log(`errors: ${result.errors}, timeouts: ${result.timeouts}, unexpected statuses: ${unexpected}, wrong answers: ${wrong.count}`);
for (const sample of wrong.samples) console.log(`  e.g. ${sample}`);
if (total === 0) console.log('result: FAILED (no request completed)');
else console.log(`result: ${failed === 0 ? 'PASS' : `FAILED (${failed} failed requests)`}`);
process.exitCode = failed === 0 && total > 0 ? 0 : 1;
