#!/usr/bin/env node
// The mock's issue-4 figure: requests per second and p99 at 20 connections for a valid socialize.setUID,
// both as one repeated identical request and with a different siteUID on every request (autocannon's
// setupRequest), for the mock as shipped, the mock with --prism-only, `prism mock -v silent` on the same
// bundled contract, and a bare node:http server (the ceiling). Interleaved rounds; medians with min–max;
// ratios paired per round. Every answer must be HTTP 200 with errorCode 0, or the run stops.
// Usage: node bench/mock-setuid.mjs [rounds=3] [seconds=4]
import { join } from 'node:path';
import autocannon from 'autocannon';
import { ensureCompiled } from '../scripts/freshness.mjs';
import { answerCheck, answersNotifyLogin, bundledContract, site } from './lib/contract.mjs';
import { ratio, spread, table } from './lib/format.mjs';
import { bin, freePort, root, start, untilAnswered } from './lib/proc.mjs';
import { interleave, pairedRatio, summary } from './lib/stats.mjs';

const rounds = Number(process.argv[2] ?? 3);
const seconds = Number(process.argv[3] ?? 4);
if (!(Number.isInteger(rounds) && rounds > 0) || !(seconds > 0)) {
  console.error('Usage: node bench/mock-setuid.mjs [rounds=3] [seconds=4] (positive numbers)');
  process.exit(2);
}
ensureCompiled();

const cli = join(root, 'packages', 'mock', 'dist', 'cli.js');
const fields = (siteUID) =>
  new URLSearchParams({ apiKey: site.apiKey, secret: site.secret, UID: '_gid_Maxa3fCszqWc1A1D1HsoHg==', siteUID }).toString();
const okAnswer = JSON.stringify({
  callId: '9f4c0e1a2b3d4c5e8f7a6b5c4d3e2f10',
  errorCode: 0,
  statusCode: 200,
  statusReason: 'OK',
  time: '2026-11-23T08:48:28.537Z',
});
const mockArgs = ['--quiet', '--api-key', site.apiKey, '--secret', site.secret];

const contenders = [
  { name: 'socialize mock', spawn: (port) => start(process.execPath, [cli, '--port', String(port), ...mockArgs]) },
  { name: 'socialize mock --prism-only', spawn: (port) => start(process.execPath, [cli, '--port', String(port), '--prism-only', ...mockArgs]) },
  {
    name: 'prism mock -v silent',
    spawn: (port) => start(bin('prism'), ['mock', '-h', '127.0.0.1', '-p', String(port), '-v', 'silent', bundledContract]),
  },
  {
    name: 'bare node:http',
    spawn: (port) =>
      start(process.execPath, [join(root, 'bench', 'servers', 'bare.mjs'), String(port)], { env: { ...process.env, BENCH_ANSWER: okAnswer } }),
  },
];

async function load(name, url, varied) {
  const { wrong, expectOk } = answerCheck();
  let n = 0;
  const request = {
    method: 'POST',
    path: '/socialize.setUID',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    onResponse: expectOk(name),
  };
  const result = await autocannon({
    url,
    connections: 20,
    duration: seconds,
    requests: [
      varied ? { ...request, setupRequest: (r) => ({ ...r, body: fields(`site-user-${n++}`) }) } : { ...request, body: fields('site-user-42') },
    ],
  });
  const bad = result.errors + result.timeouts + wrong.count;
  if (bad > 0) throw new Error(`${name}: ${bad} of ${result.requests.total} answers failed or were not errorCode 0: ${wrong.samples.join('; ')}`);
  return { rps: result.requests.total / result.duration, p99: result.latency.p99 };
}

const running = [];
try {
  for (const c of contenders) {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const proc = c.spawn(port);
    running.push({ ...c, proc, url });
    await untilAnswered(proc, () => answersNotifyLogin(url), { since: performance.now() });
  }
  for (const r of running) await load(r.name, r.url, false); // warm-up, discarded
  console.log(`setUID, 20 connections, ${rounds} interleaved rounds of ${seconds} s; median (min–max), ratios paired per round`);
  for (const varied of [false, true]) {
    const results = await interleave(rounds, running, (r) => load(r.name, r.url, varied));
    const rps = (name) => results.get(name).map((x) => x.rps);
    const rows = running.map((r) => [
      r.name,
      spread(summary(rps(r.name))),
      spread(summary(results.get(r.name).map((x) => x.p99)), ' ms'),
      ratio(pairedRatio(rps(r.name), rps('prism mock -v silent')), r.name === 'prism mock -v silent'),
      ratio(pairedRatio(rps(r.name), rps('bare node:http')), r.name === 'bare node:http'),
    ]);
    console.log(`\n${varied ? 'a different siteUID on every request' : 'one repeated request'}`);
    console.log(table(['server', 'req/s', 'p99', '÷ prism mock', '÷ bare node:http'], rows));
  }
} finally {
  await Promise.all(running.map((r) => r.proc.stop()));
}
