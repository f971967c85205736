// Mock: time from spawn to the first answer, then requests per second and p99 latency at 20 connections,
// for the package's mock (built, as a process), `prism mock` on the same bundled contract, and a bare
// node:http server (the ceiling). All three answer the same notifyLogin form with errorCode 0.
import { join } from 'node:path';
import autocannon from 'autocannon';
import { interleave, pairedRatio, summary } from '../lib/stats.mjs';
import { ratio, spread, table } from '../lib/format.mjs';
import { bin, freePort, root, start, untilAnswered } from '../lib/proc.mjs';
import { answerCheck, answersNotifyLogin, bundledContract, notifyLoginAnswer, notifyLoginForm, site } from '../lib/contract.mjs';

const CONNECTIONS = 20;

function contenders() {
  const cli = join(root, 'packages', 'mock', 'dist', 'cli.js'); // built by bench/run.mjs when stale
  const mock = (extra) => (port) =>
    start(process.execPath, [
      cli, '--port', String(port), '--contract', bundledContract, '--api-key', site.apiKey, '--secret', site.secret, ...extra,
    ]);
  const list = [
    { name: 'socialize mock (packages/mock/dist/cli.js)', spawn: mock([]) },
    // The same mock with Prism's engine run on every request (no fast path): what the fast path buys.
    { name: 'socialize mock --prism-only', throughputOnly: true, spawn: mock(['--prism-only']) },
  ];
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

// Every answer under load is checked (HTTP 200, errorCode 0): the mock answers its errors with HTTP 200.
async function load(name, url, seconds) {
  const { wrong, expectOk } = answerCheck();
  const result = await autocannon({
    url,
    connections: CONNECTIONS,
    duration: seconds,
    requests: [
      {
        method: 'POST',
        path: '/socialize.notifyLogin',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: notifyLoginForm,
        onResponse: expectOk(name),
      },
    ],
  });
  const bad = result.errors + result.timeouts + wrong.count;
  if (bad > 0) {
    throw new Error(`${name}: ${bad} of ${result.requests.total} answers were errors, timeouts or not errorCode 0: ${wrong.samples.join('; ')}`);
  }
  return result;
}

/** Runs the section; returns its printable text. */
export async function run({ quick }) {
  // Quick mode (a smoke run) skips the second Prism and the separate fresh starts: Prism alone takes seconds.
  const all = contenders().filter((c) => !(quick && c.throughputOnly));
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
    if (!quick) for (const r of running) await load(r.name, r.url, 1); // warm-up (JIT, connection pools), discarded
    const results = await interleave(rounds, running, async (r) => {
      const res = await load(r.name, r.url, seconds);
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
    const ours = running[0].name;
    const versus = ['', `socialize mock ÷ prism mock -v silent, req/s: ${ratio(pairedRatio(rps(ours), rps('prism mock -v silent')))}` +
      `; time to first answer: ${ratio(pairedRatio(firstAnswer.get(ours), firstAnswer.get('prism mock -v silent')))}`];
    return [
      `Every server answers POST /socialize.notifyLogin (form: siteUID, apiKey, format, secret) with HTTP 200 and errorCode 0;`,
      `any other answer, at start or under load, aborts the section. Contract: generated/openapi.yaml. The load generator`,
      `(autocannon, in this process, reading every answer) shares the 2 cores with the server under test, the same for all.`,
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
