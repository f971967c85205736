// Mock: time from spawn to the first answer, then requests per second, p99 latency and the server's CPU
// time per request at 20 connections, for the package's mock (built, as a process), the same mock with
// 100,000 accounts loaded (a site login that reconnects one of them, and a setUID that moves one of them
// to another siteUID), `prism mock` on the same bundled contract, and a bare node:http server (the
// ceiling); with --compare-mock DIR, also the stateful mock built in DIR. All answer with errorCode 0.
// Then what accounts cost: memory per account, and the time to load and to save a state file of 100,000
// accounts (bench/lib/state-figures.mjs).
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { interleave, interleaveGroups, pairedRatio, summary } from '../lib/stats.mjs';
import { num, ratio, spread, table } from '../lib/format.mjs';
import { bin, cpuMicros, freePort, root, start, untilAnswered, untilQuiet } from '../lib/proc.mjs';
import { benchAccounts, benchGigyaUID } from '../lib/accounts.mjs';
import { answersNotifyLogin, bundledContract, notifyLoginForm, site, successAnswer } from '../lib/contract.mjs';
import { wrkLoad, wrkVersion } from '../lib/wrk.mjs';

const CONNECTIONS = 20;
// When the servers count as idle before a load: together at most this share of one core over the window.
const QUIET = { windowMs: 250, maxShare: 0.05, timeoutMs: 15_000 };
const MOCK = 'socialize mock (packages/mock/dist/cli.js)';
const PRISM = 'prism mock -v silent';
const BARE = 'bare node:http (ceiling)';
const statefulName = (accounts) => `socialize mock, ${accounts.toLocaleString('en')} accounts loaded`;
const comparedName = (accounts) => `the mock built in --compare-mock DIR, ${accounts.toLocaleString('en')} accounts loaded`;
const credentialsTail = `&apiKey=${encodeURIComponent(site.apiKey)}&format=json&secret=${encodeURIComponent(site.secret)}`;

// The stateful notifyLogin: a returning site user, one of the loaded accounts (the middle one).
const returningForm = (accounts) => `siteUID=bench-user-${accounts / 2}${credentialsTail}`;

/**
 * The bodies of a valid setUID on the loaded accounts that changes one on every request, one per line, in
 * the order sent: account i (by its Gigya UID, i below half the accounts, so never the notifyLogin's) gets
 * siteUID bench-moved-i, on the second pass bench-user-i back; then the file starts over. Every contender of
 * this method gets the same requests; each load starts where the contender's last one stopped (`next`), so
 * that the stateful mock's state stays consistent across rounds.
 */
function movingSetUIDBodies(accounts) {
  const span = Math.max(1, Math.floor(accounts / 2));
  const lines = [];
  for (const siteUID of ['bench-moved-', 'bench-user-']) {
    for (let i = 0; i < span; i++) lines.push(`UID=${encodeURIComponent(benchGigyaUID(i))}&siteUID=${siteUID}${i}${credentialsTail}`);
  }
  return `${lines.join('\n')}\n`;
}

/** The server processes; `coldStart`: also measured from spawn to first answer. */
function servers(fixture, accounts, compareMock) {
  const ours = join(root, 'packages', 'mock', 'dist', 'cli.js'); // built by bench/run.mjs when stale
  const mock =
    (extra, cli = ours) =>
    (port) =>
      start(process.execPath, [
        cli,
        '--port',
        String(port),
        '--contract',
        bundledContract,
        '--api-key',
        site.apiKey,
        '--secret',
        site.secret,
        ...extra,
      ]);
  // Prism's CLI takes tens of seconds to start on a loaded machine: a generous deadline, still one.
  const prism = (extra) => (port) => start(bin('prism'), ['mock', '-h', '127.0.0.1', '-p', String(port), ...extra, bundledContract]);
  const answers = JSON.stringify({ '/socialize.setUID': successAnswer('Ok') });
  return [
    { name: MOCK, coldStart: true, spawn: mock([]) },
    // The same mock with Prism's engine run on every request (no fast path): what the fast path buys.
    { name: 'socialize mock --prism-only', spawn: mock(['--prism-only']) },
    // The stateful mock as a team would run it: a fixture of 100,000 accounts (checked at start).
    { name: statefulName(accounts), quickToo: true, startTimeoutMs: 180_000, spawn: mock(['--accounts', fixture]) },
    // Another build of the mock (a before/after), started the same way, its own copy of the state.
    ...(compareMock
      ? [{ name: comparedName(accounts), quickToo: true, startTimeoutMs: 180_000, spawn: mock(['--accounts', fixture], compareCli(compareMock)) }]
      : []),
    { name: PRISM, coldStart: true, startTimeoutMs: 120_000, spawn: prism(['-v', 'silent']) },
    { name: 'prism mock (default logging)', startTimeoutMs: 120_000, spawn: prism([]) },
    {
      name: BARE,
      coldStart: true,
      spawn: (port) =>
        start(process.execPath, [join(root, 'bench', 'servers', 'bare.mjs'), String(port)], {
          env: { ...process.env, BENCH_ANSWER: successAnswer('NotifyLoginBrowser'), BENCH_ANSWERS: answers },
        }),
    },
  ];
}

/** The built CLI of the mock in another checkout; an error naming the flag when it is not there. */
function compareCli(dir) {
  const cli = join(dir, 'packages', 'mock', 'dist', 'cli.js');
  if (!existsSync(cli)) throw new Error(`--compare-mock: ${cli} not found (run npm ci and npm run build in ${dir})`);
  return cli;
}

/**
 * What is measured under load, a server and the requests it gets, in the groups whose figures are compared:
 * each goal's server beside its two references (the Prism CLI and bare node:http on the same method), so
 * that they are measured back to back (interleaveGroups); the other comparisons in a group of their own.
 */
function loadGroups(accounts, compareMock, setUIDBodies) {
  const stateful = statefulName(accounts);
  const compared = comparedName(accounts);
  const notifyLogin = (server, form = notifyLoginForm) => ({ name: server, server, method: 'notifyLogin', form });
  const setUID = (server) => ({ name: `${server}, setUID`, server, method: 'setUID', bodies: { file: setUIDBodies, next: 0 } });
  return [
    [
      notifyLogin(stateful, returningForm(accounts)),
      ...(compareMock ? [notifyLogin(compared, returningForm(accounts))] : []),
      notifyLogin(PRISM),
      notifyLogin(BARE),
    ],
    [setUID(stateful), ...(compareMock ? [setUID(compared)] : []), setUID(PRISM), setUID(BARE)],
    [notifyLogin(MOCK), notifyLogin('socialize mock --prism-only'), notifyLogin('prism mock (default logging)')],
  ];
}

async function launch(server) {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const since = performance.now();
  const proc = server.spawn(port);
  try {
    const firstAnswerMs = await untilAnswered(proc, () => answersNotifyLogin(url), {
      since,
      ...(server.startTimeoutMs ? { timeoutMs: server.startTimeoutMs } : {}),
    });
    return { proc, url, firstAnswerMs };
  } catch (error) {
    await proc.stop();
    throw new Error(`${server.name}: ${error.message}`);
  }
}

// Every answer under load is checked (HTTP 200, errorCode 0): the mock answers its errors with HTTP 200.
async function load(item, target, seconds) {
  const path = `/socialize.${item.method}`;
  const requests = item.bodies ? { bodiesFile: item.bodies.file, start: item.bodies.next } : { body: item.form };
  const cpuBefore = cpuMicros(target.proc.child.pid);
  const result = await wrkLoad({ url: target.url, path, ...requests, seconds, connections: CONNECTIONS });
  const cpu = cpuMicros(target.proc.child.pid) - cpuBefore;
  if (item.bodies) item.bodies.next += result.taken;
  if (result.bad > 0) {
    throw new Error(`${item.name}: ${result.bad} of ${result.requests} answers were errors, timeouts or not errorCode 0: ${result.sample}`);
  }
  return { rps: result.rps, p99: result.p99, cpuPerRequest: cpu / result.requests };
}

/** Memory per account and the state file's load and save times, from a child process with --expose-gc. */
function stateFigures(accounts, dir) {
  return new Promise((resolve, reject) => {
    const script = join(root, 'bench', 'lib', 'state-figures.mjs');
    execFile(process.execPath, ['--expose-gc', script, String(accounts), dir], { maxBuffer: 1 << 20, timeout: 600_000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`state figures: ${error.message}\n${stderr}`));
      else resolve(JSON.parse(stdout.trim().split('\n').at(-1)));
    });
  });
}

/** Runs the section; returns its printable text. */
export async function run({ quick, compareMock }) {
  const accounts = quick ? 10_000 : 100_000;
  const dir = mkdtempSync(join(tmpdir(), 'socialize-bench-'));
  try {
    const fixture = join(dir, 'accounts.json');
    writeFileSync(fixture, JSON.stringify(benchAccounts(accounts)));
    const setUIDBodies = join(dir, 'setuid-bodies.txt');
    writeFileSync(setUIDBodies, movingSetUIDBodies(accounts));
    const throughput = await measure(quick, fixture, accounts, compareMock, setUIDBodies);
    // Each run is a fresh process and takes seconds; two show whether the figures hold.
    const rounds = quick ? 1 : 2;
    const figures = [];
    for (let i = 0; i < rounds; i++) figures.push(await stateFigures(accounts, dir));
    const med = (key) => summary(figures.map((f) => f[key]));
    return [
      throughput,
      '',
      `Accounts (${accounts.toLocaleString('en')}, each with a siteUID, one identity with a session, a profile; ${rounds} run(s) of bench/lib/state-figures.mjs, a fresh process each):`,
      table(
        ['figure', 'median (min–max)'],
        [
          ['heap per account loaded from a fixture (the site also keeps the starting records, for a reset)', spread(med('bytesPerAccount'), ' B')],
          ['heap per account made by notifyLogin calls', spread(med('bytesPerCalledAccount'), ' B')],
          [
            `save a ${accounts.toLocaleString('en')}-account state file (${(figures[0].fileBytes / 2 ** 20).toFixed(1)} MiB: snapshot, JSON, write, fsync, rename)`,
            spread(med('saveMs'), ' ms'),
          ],
          ['load it as the mock does at start (read, parse, schema and rule checks, insert)', spread(med('loadMs'), ' ms')],
        ],
      ),
    ].join('\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// Time to first answer: a fresh process per sample, stopped right after, interleaved.
function coldStarts(rounds, list) {
  return interleave(rounds, list, async (server) => {
    const { proc, firstAnswerMs } = await launch(server);
    await proc.stop();
    return firstAnswerMs;
  });
}

async function measure(quick, fixture, accounts, compareMock, setUIDBodies) {
  const generator = wrkVersion(); // before any server starts: an error that says how to install it
  // Quick mode (a smoke run) skips the second Prism and --prism-only, and the separate fresh starts.
  const all = servers(fixture, accounts, compareMock).filter((s) => !quick || s.coldStart || s.quickToo);
  const groups = loadGroups(accounts, compareMock, setUIDBodies)
    .map((group) => group.filter((l) => all.some((s) => s.name === l.server)))
    .filter((group) => group.length > 0);
  const measured = groups.flat();
  const startRounds = quick ? 0 : 3;
  // Five rounds, not three: this machine has slow phases of a few seconds that hit whichever server is
  // loaded then, and a median of three paired ratios moves by 20% when two fall in one (DECISIONS 31).
  const rounds = quick ? 1 : 5;
  const seconds = quick ? 1 : 2; // whole seconds: wrk takes no fractions
  const starters = all.filter((s) => s.coldStart);
  const firstAnswer = quick ? new Map() : await coldStarts(startRounds, starters);

  // Throughput: one process each, all up at once (idle ones cost nothing), measured in turn.
  const running = new Map();
  try {
    for (const server of all) {
      running.set(server.name, await launch(server));
      if (quick && server.coldStart) firstAnswer.set(server.name, [running.get(server.name).firstAnswerMs]);
    }
    if (!quick) for (const item of measured) await load(item, running.get(item.server), 1); // warm-up (JIT, connection pools), discarded
    // Each load starts when every server is idle: the one loaded before may still be working (DECISIONS 36).
    const pids = [...running.values()].map((r) => r.proc.child.pid);
    const waits = [];
    const results = await interleaveGroups(rounds, groups, async (item) => {
      waits.push(await untilQuiet(pids, QUIET));
      return load(item, running.get(item.server), seconds);
    });
    return report({ quick, accounts, starters, firstAnswer, measured, results, waits, startRounds, rounds, seconds, compareMock, generator });
  } finally {
    await Promise.all([...running.values()].map((r) => r.proc.stop()));
  }
}

// The goals of issues 13 and 15 for the stateful mock, per method: ≥ 8× the Prism CLI with p99 ≤ 10 ms,
// and ≥ 0.5× bare node:http with p99 ≤ 5 ms.
function goalLines(accounts, samples) {
  const stateful = statefulName(accounts);
  const metOrMissed = (ok) => (ok ? 'met' : 'missed');
  const lines = [];
  for (const [method, suffix] of [
    ['notifyLogin', ''],
    ['setUID', ', setUID'],
  ]) {
    const ours = samples(`${stateful}${suffix}`, 'rps');
    const p99 = summary(samples(`${stateful}${suffix}`, 'p99'));
    if (!ours) continue;
    const versus = [
      [PRISM, 8, 10],
      [BARE, 0.5, 5],
    ];
    for (const [other, goal, p99Goal] of versus) {
      const theirs = samples(`${other}${suffix}`, 'rps');
      if (!theirs) continue;
      const r = pairedRatio(ours, theirs);
      lines.push(
        `${stateful}, ${method} ÷ ${other}, req/s: ${ratio(r)} (goal ≥ ${goal}×: ${metOrMissed(r.median >= goal)}); ` +
          `p99 ${spread(p99, ' ms')} (goal ≤ ${p99Goal} ms: ${metOrMissed(p99.median <= p99Goal)})`,
      );
    }
  }
  return lines;
}

// This build against the --compare-mock one, per method: requests per second and CPU per request, paired by round.
function comparedLines(accounts, samples, dir) {
  const lines = [];
  for (const [method, suffix] of [
    ['notifyLogin', ''],
    ['setUID', ', setUID'],
  ]) {
    const ours = `${statefulName(accounts)}${suffix}`;
    const theirs = `${comparedName(accounts)}${suffix}`;
    if (!samples(theirs, 'rps')) continue;
    lines.push(
      `this build ÷ the mock built in ${dir}, ${method}: req/s ${ratio(pairedRatio(samples(ours, 'rps'), samples(theirs, 'rps')))}; ` +
        `server CPU per request ${ratio(pairedRatio(samples(ours, 'cpuPerRequest'), samples(theirs, 'cpuPerRequest')))}`,
    );
  }
  return lines;
}

// How long the loads waited for the servers to be idle, and how many started without.
function quietLine(waits) {
  const waited = summary(waits.map((w) => w.waitedMs));
  const unsettled = waits.filter((w) => !w.settled).length;
  return (
    `Each load started once all server processes together used ≤ ${QUIET.maxShare * 100}% of a core over ${QUIET.windowMs} ms ` +
    `(deadline ${QUIET.timeoutMs / 1000} s): ` +
    `waited ${spread(waited, ' ms')}; ${unsettled} of ${waits.length} load(s) started without that.`
  );
}

function report({ quick, accounts, starters, firstAnswer, measured, results, waits, startRounds, rounds, seconds, compareMock, generator }) {
  const samples = (name, key) => results.get(name)?.map((x) => x[key]);
  // Each load's ceiling: bare node:http answering the same method.
  const ceilingOf = (item) => (item.method === 'setUID' ? `${BARE}, setUID` : BARE);
  const firstRows = starters.map((s) => [
    s.name,
    spread(summary(firstAnswer.get(s.name)), ' ms'),
    ratio(pairedRatio(firstAnswer.get(s.name), firstAnswer.get(BARE)), s.name === BARE),
  ]);
  const loadRows = measured.map((item) => [
    item.name,
    spread(summary(samples(item.name, 'rps'))),
    ratio(pairedRatio(samples(item.name, 'rps'), samples(ceilingOf(item), 'rps')), item.name === ceilingOf(item)),
    spread(summary(samples(item.name, 'p99')), ' ms'),
    `${num(summary(samples(item.name, 'cpuPerRequest')).median)} µs`,
  ]);
  const versus = [
    '',
    `${MOCK} ÷ ${PRISM}, notifyLogin req/s: ${ratio(pairedRatio(samples(MOCK, 'rps'), samples(PRISM, 'rps')))}` +
      `; time to first answer: ${ratio(pairedRatio(firstAnswer.get(MOCK), firstAnswer.get(PRISM)))}`,
    ...goalLines(accounts, samples),
    ...(compareMock ? comparedLines(accounts, samples, compareMock) : []),
  ];
  return [
    `Every server answers POST /socialize.notifyLogin (form: siteUID, apiKey, format, secret) with HTTP 200 and errorCode 0;`,
    `the stateful mock: a siteUID among its ${accounts.toLocaleString('en')} loaded accounts, a returning site user. The ", setUID" rows: POST`,
    `/socialize.setUID (UID, siteUID, apiKey, format, secret) moving one loaded account to another siteUID on every request (the same`,
    `requests for every server; bare node:http then answers the contract's Ok example). Any other answer, at start or under load,`,
    `aborts the section. Contract: generated/openapi.yaml. The load generator (wrk, one thread, reading every answer: bench/lib/wrk.mjs)`,
    `shares the 2 cores with the server under test, the same for all; "server CPU" is the server process's user + system time per request.`,
    '',
    `Time to first answer: spawn → first errorCode-0 answer (polled every 5 ms), ${quick ? 1 : startRounds} fresh start(s) each, interleaved.`,
    table(['server', 'ms median (min–max)', '÷ bare node:http'], firstRows),
    '',
    `Load: ${CONNECTIONS} connections, ${rounds} interleaved round(s) of ${seconds} s each${quick ? '' : ' after a 1 s warm-up'} (${generator});`,
    `each ratio's server and its reference run back to back within a round (the stateful mock, Prism, bare node:http, per method).`,
    quietLine(waits),
    table(
      ['server', 'req/s median (min–max)', '÷ bare node:http, same method', 'p99 latency median (min–max)', 'server CPU per request (median)'],
      loadRows,
    ),
    ...versus,
  ].join('\n');
}
