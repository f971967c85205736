// Mock: time from spawn to the first answer, then requests per second and p99 latency at 20 connections,
// for the package's mock (built, as a process), `prism mock` on the same bundled contract, and a bare
// node:http server (the ceiling). All three answer the same notifyLogin form with errorCode 0.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { interleave, pairedRatio, summary } from '../lib/stats.mjs';
import { num, ratio, spread, table } from '../lib/format.mjs';
import { bin, freePort, has, root, start, untilAnswered } from '../lib/proc.mjs';
import { answersNotifyLogin, bundledContract, notifyLoginAnswer, notifyLoginForm, site } from '../lib/contract.mjs';

const CONNECTIONS = 20;

function contenders() {
  const list = [];
  const cli = join(root, 'dist', 'src', 'mock', 'cli.js');
  if (has('dist/src/mock/cli.js')) {
    const mock = (extra) => (port) =>
      start(process.execPath, [
        cli, '--port', String(port), '--contract', bundledContract, '--api-key', site.apiKey, '--secret', site.secret, ...extra,
      ]);
    list.push({ name: 'socialize mock (dist/src/mock/cli.js)', spawn: mock([]) });
    // The same mock with Prism's engine run on every request (no precomputed answers): what the fast path buys.
    if (readFileSync(cli, 'utf8').includes("'prism-only'")) {
      list.push({ name: 'socialize mock --prism-only', throughputOnly: true, spawn: mock(['--prism-only']) });
    }
  }
  list.push(
    {
      name: 'prism mock -v silent',
      spawn: (port) => start(bin('prism'), ['mock', '-h', '127.0.0.1', '-p', String(port), '-v', 'silent', bundledContract]),
    },
    {
      name: 'prism mock (default logging)',
      throughputOnly: true,
      spawn: (port) => start(bin('prism'), ['mock', '-h', '127.0.0.1', '-p', String(port), bundledContract]),
    },
    {
      name: 'bare node:http (ceiling)',
      ceiling: true,
      spawn: (port) =>
        start(process.execPath, [join(root, 'bench', 'servers', 'bare.mjs'), String(port)], {
          env: { ...process.env, BENCH_ANSWER: notifyLoginAnswer() },
        }),
    },
  );
  return list;
}

async function launch(contender) {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const since = performance.now();
  const proc = contender.spawn(port);
  try {
    const firstAnswerMs = await untilAnswered(proc, () => answersNotifyLogin(url), { since });
    return { proc, url, firstAnswerMs };
  } catch (error) {
    await proc.stop();
    throw new Error(`${contender.name}: ${error.message}`);
  }
}

function load(url, seconds) {
  return autocannon({
    url: `${url}/socialize.notifyLogin`,
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: notifyLoginForm,
    connections: CONNECTIONS,
    duration: seconds,
  });
}

/** Runs the section; returns its printable text. */
export async function run({ quick }) {
  // Quick mode (a smoke run) skips the second Prism and the separate fresh starts: Prism alone takes seconds.
  const all = contenders().filter((c) => !(quick && c.throughputOnly));
  const mockMissing = !has('dist/src/mock/cli.js');
  const startRounds = quick ? 1 : 5;
  const rounds = quick ? 1 : 5;
  const seconds = quick ? 0.5 : 4;
  const starters = all.filter((c) => !c.throughputOnly);

  // Time to first answer: a fresh process per sample, stopped right after.
  const firstAnswer = quick
    ? new Map()
    : await interleave(startRounds, starters, async (c) => {
        const { proc, firstAnswerMs } = await launch(c);
        await proc.stop();
        return firstAnswerMs;
      });

  // Throughput: one process each, all up at once (idle ones cost nothing), measured in turn.
  const running = [];
  try {
    for (const c of all) {
      running.push({ ...c, ...(await launch(c)) });
      if (quick && !c.throughputOnly) firstAnswer.set(c.name, [running.at(-1).firstAnswerMs]);
    }
    if (!quick) for (const r of running) await load(r.url, 1); // warm-up (JIT, connection pools), discarded
    const results = await interleave(rounds, running, async (r) => {
      const res = await load(r.url, seconds);
      const bad = res.non2xx + res.errors + res.timeouts;
      if (bad > 0) throw new Error(`${r.name}: ${bad} of ${res.requests.total} answers were errors, non-2xx or timeouts`);
      return { rps: res.requests.total / res.duration, p99: res.latency.p99 };
    });
    const ceiling = running.find((r) => r.ceiling).name;
    const rps = (name) => results.get(name).map((x) => x.rps);
    const p99 = (name) => results.get(name).map((x) => x.p99);
    const firstRows = starters.map((c) => [
      c.name,
      spread(summary(firstAnswer.get(c.name)), ' ms'),
      ratio(pairedRatio(firstAnswer.get(c.name), firstAnswer.get(ceiling)), c.name === ceiling),
    ]);
    const loadRows = running.map((r) => [
      r.name,
      spread(summary(rps(r.name))),
      ratio(pairedRatio(rps(r.name), rps(ceiling)), r.name === ceiling),
      spread(summary(p99(r.name)), ' ms'),
    ]);
    const ours = mockMissing ? undefined : running[0].name;
    const versus = ours
      ? ['', `socialize mock ÷ prism mock -v silent, req/s: ${ratio(pairedRatio(rps(ours), rps('prism mock -v silent')))}` +
          `; time to first answer: ${ratio(pairedRatio(firstAnswer.get(ours), firstAnswer.get('prism mock -v silent')))}`]
      : [];
    return [
      ...(mockMissing
        ? ['socialize mock: UNAVAILABLE (dist/src/mock/cli.js missing: src/mock/ has not landed on this branch); the other rows still run.', '']
        : []),
      `Every server answers POST /socialize.notifyLogin (form: siteUID, apiKey, format, secret) with HTTP 200 and errorCode 0;`,
      `any other answer aborts the section. Contract: generated/openapi.yaml. The load generator (autocannon, in this`,
      `process) shares the 2 cores with the server under test, the same for every contender.`,
      '',
      `Time to first answer: spawn → first errorCode-0 answer (polled every 5 ms), ${startRounds} fresh start(s) each, interleaved.`,
      table(['server', 'ms median (min–max)', '÷ bare node:http'], firstRows),
      '',
      `Load: ${CONNECTIONS} connections, ${rounds} interleaved round(s) of ${seconds} s each${quick ? '' : ' after a 1 s warm-up'} (autocannon 9; p99 in whole ms).`,
      table(['server', 'req/s median (min–max)', '÷ bare node:http', 'p99 latency median (min–max)'], loadRows),
      ...versus,
    ].join('\n');
  } finally {
    await Promise.all(running.map((r) => r.proc.stop()));
  }
}
