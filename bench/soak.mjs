#!/usr/bin/env node
// `npm run soak`: a bounded soak of the mock server on loopback. Starts the built mock
// (packages/mock/dist/cli.js) as a child process, or uses a running one (--url), and keeps 50 connections busy
// for 30 s with a mix of valid calls of the four methods, each connection cycling through:
//   socialize.setUID              from a server, with the partner secret
//   socialize.notifyRegistration  from a browser in the user's session, with a UIDSig made just before the request
//   socialize.notifyLogin         from a server, with the partner secret and userInfo as JSON text
//   socialize.notifyLogin         a signed request (timestamp, a fresh nonce, sig): the secret never travels
//   socialize.login               the browser's GET, answered by a 302 to redirect_uri
//   and invalid calls, each with the one error it must get: a wrong secret (403003), a missing parameter
//   (400002), malformed percent-encoding (400004), JSON nested too deep (400006), too many parameters
//   (400001), an unknown method (404000)
// Every answer is checked: HTTP 200 with errorCode 0 (302 with a Location on redirect_uri for the login),
// or HTTP 200 with the expected errorCode. Meanwhile, on connections of their own: --silent connections
// that never send a byte (re-opened whenever the mock closes one: it must, once they idle) and a stream of
// malformed HTTP, each of which must get Gigya's 400001 envelope or a closed connection.
// The mock's memory (RSS, from /proc) is read before, during and after the run; after the run it must come
// back near its start (within 64 MiB or 50 %, whichever is more).
// Prints requests, req/s, p50/p99 latency, errors, timeouts, unexpected statuses and wrong answers, and
// exits 1 when any request failed. Not a benchmark: the figures are what this machine did in this run.
//
// Usage: node bench/soak.mjs [--connections 50] [--duration 30 | --requests <n>] [--silent 100] [--url http://127.0.0.1:4010
//        --api-key <key> --secret <base64>]
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
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
    // A number of requests instead of a duration: every connection then gets through its whole cycle
    // however slow the machine is (the suite's short pass uses it).
    requests: { type: 'string' },
    silent: { type: 'string', default: '100' },
    url: { type: 'string' },
    'api-key': { type: 'string' },
    secret: { type: 'string' },
    help: { type: 'boolean', default: false },
  },
});
if (values.help) {
  console.log(
    'Usage: node bench/soak.mjs [--connections 50] [--duration 30 | --requests <n>] [--silent 100] [--url <mock URL> --api-key <key> --secret <base64>]',
  );
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
const amount = values.requests === undefined ? undefined : positive('requests', values.requests, true);
const silentTarget = values.silent === '0' ? 0 : positive('silent', values.silent, true);
if (values.url && !(values['api-key'] && values.secret)) {
  console.error("--url: give the running mock's --api-key and --secret too");
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
  server = start(process.execPath, [join(root, 'packages', 'mock', 'dist', 'cli.js'), '--port', String(port), '--api-key', apiKey, '--quiet'], {
    env: { ...process.env, SOCIALIZE_MOCK_SECRET: secret },
  });
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

/** The session token of site-user-42's account: a UIDSig call is made in the user's session. */
async function sessionOf(siteUID) {
  const body = form({ apiKey, secret, siteUID, targetEnv: 'mobile' });
  const answer = await fetch(`${url}/socialize.notifyLogin`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body,
    signal: AbortSignal.timeout(30_000),
  });
  const token = (await answer.json().catch(() => ({}))).sessionInfo?.sessionToken;
  if (typeof token === 'string') return token;
  // The run goes on: every call that needs the session then counts as a wrong answer.
  console.error(`notifyLogin (targetEnv=mobile) for ${siteUID} gave no sessionToken`);
  return 'no-session';
}
const session42 = await sessionOf('site-user-42');

const redirectUri = 'https://example.com/login/done';
const { wrong, expectOk } = answerCheck();
const formHeaders = { 'content-type': 'application/x-www-form-urlencoded' };
const loginQuery = form({ x_provider: 'facebook', client_id: apiKey, redirect_uri: redirectUri, response_type: 'token', state: 'soak' });

/** Checks an answer to an invalid call: HTTP 200 and exactly this errorCode. */
const expectError = (label, errorCode) => (status, body) => {
  let code;
  try {
    code = JSON.parse(body).errorCode;
  } catch {
    code = undefined;
  }
  if (status !== 200 || code !== errorCode) {
    wrong.count++;
    if (wrong.samples.length < 5) wrong.samples.push(`${label}: expected ${errorCode}, got HTTP ${status} ${String(body).slice(0, 300)}`);
  }
};
const tooMany = Array.from({ length: 250 }, (_, i) => `p${i}=1`).join('&');
const deepSessions = JSON.stringify({ facebook: { authToken: 't' } }).replace('"t"', `${'['.repeat(64)}"t"${']'.repeat(64)}`);
const invalid = [
  [
    'wrong secret',
    '/socialize.setUID',
    form({ apiKey, secret: Buffer.from('not the secret').toString('base64'), UID: '_gid_x', siteUID: 's' }),
    403003,
  ],
  ['missing UID', '/socialize.setUID', form({ apiKey, secret, siteUID: 's' }), 400002],
  ['bad percent-encoding', '/socialize.setUID', `${form({ apiKey, secret, UID: '_gid_x' })}&siteUID=%E0%A4%A`, 400004],
  ['deep JSON', '/socialize.notifyLogin', form({ apiKey, secret, providerSessions: deepSessions }), 400006],
  ['too many parameters', '/socialize.setUID', `${form({ apiKey, secret, UID: '_gid_x', siteUID: 's' })}&${tooMany}`, 400001],
  ['unknown method', '/socialize.nothing', form({ apiKey, secret }), 404000],
].map(([label, path, body, code]) => ({ method: 'POST', path, headers: formHeaders, body, onResponse: expectError(label, code) }));

const requests = [
  {
    method: 'POST',
    path: '/socialize.setUID',
    headers: formHeaders,
    // The account the contract's examples name (the mock starts with it): linking the siteUID it has is a repeat.
    body: form({ apiKey, secret, UID: '_gid_Maxa3fCszqWc1A1D1HsoHg==', siteUID: 'site-user-42', format: 'json' }),
    onResponse: expectOk('setUID'),
  },
  {
    method: 'POST',
    path: '/socialize.notifyRegistration',
    headers: formHeaders,
    setupRequest: (request) => {
      const UIDTimestamp = now();
      // From a browser, in the user's session (the contract's example account), without UID.
      const siteUID = 'site-user-42';
      request.body = form({ apiKey, oauth_token: session42, siteUID, UIDTimestamp, UIDSig: hmac(`${UIDTimestamp}_${siteUID}`) });
      return request;
    },
    onResponse: expectOk('notifyRegistration'),
  },
  {
    method: 'POST',
    path: '/socialize.notifyLogin',
    headers: formHeaders,
    body: form({
      apiKey,
      secret,
      siteUID: 'site-user-42',
      newUser: 'false',
      sessionExpiration: '3600',
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
  ...invalid,
];

// Malformed HTTP of several kinds; each must get one 400001 envelope or a closed connection.
const garbage = [
  'GARBAGE\r\n\r\n',
  'POST /socialize.setUID HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n',
  'POST /socialize.setUID HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n',
  `GET /socialize.login HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`,
  'GET / HTTP/9.9\r\nHost: x\r\n\r\n',
];

/**
 * The hostile side of the mix, on connections of its own until stop(): `target` silent connections kept
 * open (one re-opened whenever the mock closes one) and a stream of malformed requests.
 */
function hostileLoad(base, target) {
  const { port, hostname } = new URL(base);
  const counts = { silentOpened: 0, silentClosedByMock: 0, garbageSent: 0, garbageAnswered: 0, garbageClosed: 0, garbageWrong: 0 };
  const open = new Set();
  let stopped = false;
  const openSilent = () => {
    if (stopped) return;
    const socket = connect({ port: Number(port), host: hostname });
    counts.silentOpened++;
    open.add(socket);
    socket.on('error', () => {});
    socket.once('close', () => {
      open.delete(socket);
      if (stopped) return;
      counts.silentClosedByMock++;
      setTimeout(openSilent, 10);
    });
  };
  for (let i = 0; i < target; i++) openSilent();
  const sendGarbage = () => {
    if (stopped) return;
    const text = garbage[counts.garbageSent++ % garbage.length];
    const socket = connect({ port: Number(port), host: hostname });
    let received = '';
    const timer = setTimeout(() => finish('wrong'), 10_000);
    let finished = false;
    const finish = (outcome) => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      socket.destroy();
      if (outcome === 'answered') counts.garbageAnswered++;
      else if (outcome === 'closed') counts.garbageClosed++;
      else if (!stopped) {
        counts.garbageWrong++;
        if (wrong.samples.length < 5) wrong.samples.push(`malformed HTTP: ${JSON.stringify(received.slice(0, 200))}`);
      }
      setTimeout(sendGarbage, 20);
    };
    socket.on('data', (chunk) => {
      received += chunk.toString('latin1');
      const end = received.indexOf('\r\n\r\n');
      if (end === -1) return;
      const length = Number(/content-length: (\d+)/i.exec(received.slice(0, end))?.[1] ?? NaN);
      if (received.length < end + 4 + length) return;
      const ok = received.startsWith('HTTP/1.1 200 ') && /"errorCode":400001\b/.test(received.slice(end + 4));
      finish(ok ? 'answered' : 'wrong');
    });
    // The mock closes right after its answer; the reset that follows can cut off what this side had not
    // read yet. A cut answer counts as closed, unless what arrived is already wrong.
    socket.once('close', () => {
      const status = /^HTTP\/1\.[01] (\d{3})/.exec(received)?.[1];
      const code = /"errorCode":(\d+)/.exec(received)?.[1];
      if ((status !== undefined && status !== '200') || (code !== undefined && code !== '400001')) finish('wrong');
      else finish(code === '400001' ? 'answered' : 'closed');
    });
    socket.on('error', () => {});
    socket.write(text, 'latin1');
  };
  sendGarbage();
  return {
    counts,
    stop() {
      stopped = true;
      for (const socket of open) socket.destroy();
    },
  };
}

/** The mock's resident memory in MiB (Linux /proc), or undefined. */
function rssMiB(pid) {
  try {
    const kB = Number(/^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]);
    return Number.isFinite(kB) ? kB / 1024 : undefined;
  } catch {
    return undefined;
  }
}

console.log(
  `soak: ${connections} connections for ${amount === undefined ? `${duration} s` : `${amount} requests`} against ${url}${server ? ' (packages/mock/dist/cli.js, started for this run)' : ''}`,
);
console.log('mix per connection: setUID (partner secret), notifyRegistration (UIDSig), notifyLogin (partner secret, userInfo),');
console.log('                    notifyLogin (signed request, fresh nonce), socialize.login (302 to redirect_uri),');
console.log(
  `                    ${invalid.length} invalid calls (each with its expected errorCode); beside it ${silentTarget} silent connections and malformed HTTP`,
);

// Memory is read from a warm mock: one call that needs Prism's engine loads it first (it is most of the
// mock's memory, and loads on the first such call).
await fetch(`${url}/socialize.nothing`, { method: 'POST', headers: formHeaders, body: form({ apiKey }) }).then((r) => r.text());
const pid = server?.child.pid;
const memory = { start: pid && rssMiB(pid), peak: 0, after: undefined };
const sampler = pid ? setInterval(() => (memory.peak = Math.max(memory.peak, rssMiB(pid) ?? 0)), 500) : undefined;
const hostile = hostileLoad(url, silentTarget);
let result;
try {
  result = await autocannon({
    url,
    connections,
    ...(amount === undefined ? { duration } : { amount }),
    requests,
    timeout: 10,
  });
  hostile.stop();
  clearInterval(sampler);
  if (pid) memory.after = await settledMemory(pid, memory.start);
} finally {
  hostile.stop();
  clearInterval(sampler);
  await server?.stop();
}

/** RSS once the load is over: read each second for up to 15 s, until it is near the start. */
async function settledMemory(processId, start) {
  let now = rssMiB(processId);
  for (let i = 0; i < 15 && now !== undefined && !nearStart(now, start); i++) {
    await new Promise((r) => setTimeout(r, 1000));
    now = rssMiB(processId);
  }
  return now;
}
function nearStart(now, start) {
  return now <= start + Math.max(64, start * 0.5);
}

const statuses = Object.fromEntries(Object.entries(result.statusCodeStats ?? {}).map(([code, s]) => [code, Number(s.count)]));
const unexpected = Object.entries(statuses)
  .filter(([code]) => code !== '200' && code !== '302')
  .reduce((n, [, c]) => n + c, 0);
const total = result.requests.total;
const h = hostile.counts;
const memoryBack = memory.after === undefined || nearStart(memory.after, memory.start);
const failed = result.errors + result.timeouts + unexpected + wrong.count + h.garbageWrong + (memoryBack ? 0 : 1);
console.log(`requests: ${total} in ${result.duration.toFixed(1)} s (${Math.round(total / result.duration)} req/s)`);
console.log(`latency: p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, max ${result.latency.max} ms`);
console.log(
  `statuses: ${
    Object.entries(statuses)
      .map(([c, n]) => `${c}: ${n}`)
      .join(', ') || 'none'
  } (302 is socialize.login's redirect)`,
);
console.log(`errors: ${result.errors}, timeouts: ${result.timeouts}, unexpected statuses: ${unexpected}, wrong answers: ${wrong.count}`);
console.log(
  `hostile: ${h.silentOpened} silent connections (${silentTarget} at a time), ${h.silentClosedByMock} closed by the mock for idling; ` +
    `${h.garbageSent} malformed requests: ${h.garbageAnswered} answered 400001, ${h.garbageClosed} closed, ${h.garbageWrong} wrong`,
);
if (memory.start !== undefined) {
  const mib = (v) => (v === undefined ? '?' : `${v.toFixed(0)} MiB`);
  console.log(
    `memory (mock RSS): start ${mib(memory.start)}, peak ${mib(memory.peak)}, after ${mib(memory.after)} (${memoryBack ? 'back near the start' : 'NOT back near the start'})`,
  );
}
for (const sample of wrong.samples) console.log(`  e.g. ${sample}`);
if (total === 0) console.log('result: FAILED (no request completed)');
else console.log(`result: ${failed === 0 ? 'PASS' : `FAILED (${failed} failed requests)`}`);
process.exitCode = failed === 0 && total > 0 ? 0 : 1;
