#!/usr/bin/env node
// The mock's issue-4 figure: requests per second and p99 at 20 connections for a valid socialize.setUID,
// both as one repeated identical request and with a different siteUID on every request (autocannon's
// setupRequest), for the mock as shipped, the mock with --prism-only, `prism mock -v silent` on the same
// bundled contract, and a bare node:http server (the ceiling). Interleaved rounds; medians with min–max.
// Usage: npm run build && node bench/mock-setuid.mjs [rounds=3] [seconds=4]
import autocannon from 'autocannon';
import { join } from 'node:path';
import { bin, freePort, root, start, untilAnswered } from './lib/proc.mjs';
import { answersNotifyLogin, bundledContract, site } from './lib/contract.mjs';

const rounds = Number(process.argv[2] ?? 3);
const seconds = Number(process.argv[3] ?? 4);
const cli = join(root, 'dist', 'src', 'mock', 'cli.js');
const fields = (siteUID) => new URLSearchParams({ apiKey: site.apiKey, secret: site.secret, UID: '_gid_Maxa3fCszqWc1A1D1HsoHg==', siteUID }).toString();
const answer = JSON.stringify({ callId: '9f4c0e1a2b3d4c5e8f7a6b5c4d3e2f10', errorCode: 0, statusCode: 200, statusReason: 'OK', time: '2026-11-23T08:48:28.537Z' });

const contenders = [
  ['socialize mock', (port) => start(process.execPath, [cli, '--port', String(port), '--quiet', '--api-key', site.apiKey, '--secret', site.secret])],
  ['socialize mock --prism-only', (port) => start(process.execPath, [cli, '--port', String(port), '--quiet', '--prism-only', '--api-key', site.apiKey, '--secret', site.secret])],
  ['prism mock -v silent', (port) => start(bin('prism'), ['mock', '-h', '127.0.0.1', '-p', String(port), '-v', 'silent', bundledContract])],
  ['bare node:http', (port) => start(process.execPath, [join(root, 'bench', 'servers', 'bare.mjs'), String(port)], { env: { ...process.env, BENCH_ANSWER: answer } })],
];

function load(url, varied) {
  let n = 0;
  const request = { method: 'POST', path: '/socialize.setUID', headers: { 'content-type': 'application/x-www-form-urlencoded' } };
  return autocannon({
    url,
    connections: 20,
    duration: seconds,
    requests: [varied ? { ...request, setupRequest: (r) => ({ ...r, body: fields(`site-user-${n++}`) }) } : { ...request, body: fields('site-user-42') }],
  });
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const running = [];
try {
  for (const [name, spawn] of contenders) {
    const port = await freePort();
    const proc = spawn(port);
    await untilAnswered(proc, () => answersNotifyLogin(`http://127.0.0.1:${port}`).catch(() => false), { since: performance.now() }).catch(() => {});
    running.push({ name, proc, url: `http://127.0.0.1:${port}`, results: { same: [], varied: [] } });
  }
  for (const r of running) await load(r.url, false); // warm-up
  for (let i = 0; i < rounds; i++) {
    for (const varied of [false, true]) {
      for (const r of running) {
        const res = await load(r.url, varied);
        const bad = res.non2xx + res.errors + res.timeouts;
        if (bad > 0) throw new Error(`${r.name}: ${bad} failed answers`);
        r.results[varied ? 'varied' : 'same'].push({ rps: res.requests.total / res.duration, p99: res.latency.p99 });
      }
    }
  }
  const bare = running.at(-1);
  const prism = running.find((r) => r.name === 'prism mock -v silent');
  console.log(`setUID, 20 connections, ${rounds} interleaved rounds of ${seconds} s; median (min–max)`);
  for (const kind of ['same', 'varied']) {
    console.log(`\n${kind === 'same' ? 'one repeated request' : 'a different siteUID on every request'}`);
    for (const r of running) {
      const rps = r.results[kind].map((x) => x.rps);
      const p99 = r.results[kind].map((x) => x.p99);
      const vs = (other) => (median(rps) / median(other.results[kind].map((x) => x.rps))).toFixed(2);
      console.log(
        `  ${r.name.padEnd(28)} ${Math.round(median(rps)).toLocaleString('en')} req/s (${Math.round(Math.min(...rps))}–${Math.round(Math.max(...rps))})` +
          `  p99 ${median(p99)} ms (${Math.min(...p99)}–${Math.max(...p99)})  ÷prism ${vs(prism)}×  ÷bare ${vs(bare)}×`,
      );
    }
  }
} finally {
  await Promise.all(running.map((r) => r.proc.stop()));
}
