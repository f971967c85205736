// Child processes for the benchmarks: every one is tracked and stopped, also when the run fails or is
// interrupted, and every server listens on loopback only.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Executables from the project's own install. */
export const bin = (name) => join(root, 'node_modules', '.bin', name);

const running = new Set();
function killAll() {
  for (const child of running) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
}
process.once('exit', killAll);
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    killAll();
    process.exit(130);
  });
}

/** Quiet, offline settings for Redocly's CLI (no telemetry, no update notice). */
export const redoclyEnv = { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' };

/** A free TCP port on 127.0.0.1 (for tools that cannot take port 0). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Starts a long-running process; its output is kept (bounded) for error messages. */
export function start(command, args, options = {}) {
  const child = spawn(command, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], ...options });
  running.add(child);
  let output = '';
  const keep = (chunk) => {
    output = (output + chunk.toString()).slice(-4000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal)));
  exited.then(() => running.delete(child));
  return {
    child,
    exited,
    output: () => output,
    /** SIGTERM, then SIGKILL after a grace period; resolves when the process is gone. */
    async stop(graceMs = 3000) {
      if (child.exitCode !== null || child.signalCode !== null) return exited;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
      return exited;
    },
  };
}

/**
 * Resolves when `probe()` first succeeds (returns true), polling every `everyMs`; rejects when the process
 * exits first or `timeoutMs` passes. Returns the milliseconds from `since` to that first success.
 */
export async function untilAnswered(proc, probe, { since, timeoutMs = 30_000, everyMs = 5 } = {}) {
  let exited = false;
  proc.exited.then(() => (exited = true));
  for (;;) {
    if (exited) throw new Error(`process exited before it answered:\n${proc.output()}`);
    if (await probe().catch(() => false)) return performance.now() - since;
    if (performance.now() - since > timeoutMs) {
      throw new Error(`no answer within ${timeoutMs} ms:\n${proc.output()}`);
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** CPU time (user + system) of a process so far, in µs, from /proc (Linux; clock ticks of 10 ms). NaN elsewhere. */
export function cpuMicros(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10_000;
  } catch {
    return NaN;
  }
}

/**
 * Waits until the processes together use at most `maxShare` of one core over a window of `windowMs`, or
 * until `timeoutMs` has passed. A server keeps working after its load ends (Prism drains what it queued,
 * flushes its logs): the next server measured would otherwise share the cores with it. Resolves with
 * whether they settled and how long it waited; never rejects (without /proc, it settles at once).
 */
export async function untilQuiet(pids, { windowMs = 250, maxShare = 0.05, timeoutMs = 15_000 } = {}) {
  const since = performance.now();
  const used = () => pids.reduce((sum, pid) => sum + (cpuMicros(pid) || 0), 0);
  for (;;) {
    const before = used();
    const windowStart = performance.now();
    await new Promise((r) => setTimeout(r, windowMs));
    const share = (used() - before) / ((performance.now() - windowStart) * 1000);
    const waitedMs = performance.now() - since;
    if (share <= maxShare) return { settled: true, waitedMs };
    if (waitedMs >= timeoutMs) return { settled: false, waitedMs, share };
  }
}

/**
 * Runs a command to completion; resolves with its wall time and the CPU time (user + sys) it and its
 * children used, in ms, and rejects with its output on failure. CPU time comes from bash's `times` and
 * barely moves when other processes share the machine; wall time is what a developer waits for.
 */
export function timed(command, args, options = {}) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn('bash', ['-c', '"$@"; status=$?; times >&3; exit $status', 'bash', command, ...args], {
      cwd: root,
      ...options,
      stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
    });
    running.add(child);
    let output = '';
    let times = '';
    const keep = (chunk) => (output = (output + chunk.toString()).slice(-3000));
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.stdio[3].on('data', (chunk) => (times += chunk.toString()));
    child.once('error', reject);
    child.once('close', (code, signal) => {
      running.delete(child);
      const wallMs = performance.now() - started;
      if (code !== 0) {
        reject(new Error(`${command} ${args.join(' ')} failed (${code ?? signal}):\n${output}`));
        return;
      }
      // Second line of `times`: user and system time of the shell's children, as "0m1.234s 0m0.056s".
      const children = times.trim().split('\n')[1] ?? '';
      const ms = [...children.matchAll(/(\d+)m([\d.]+)s/g)].map(([, m, sec]) => (Number(m) * 60 + Number(sec)) * 1000);
      resolve({ wallMs, cpuMs: ms.length === 2 ? ms[0] + ms[1] : NaN });
    });
  });
}

/** True when the repository has this file (a section whose code has not landed reports itself unavailable). */
export const has = (relativePath) => existsSync(join(root, relativePath));
