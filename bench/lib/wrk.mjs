// The mock section's load generator: wrk (https://github.com/wg/wrk; Debian's `wrk`, Homebrew's `wrk`),
// one thread, driven by bench/lib/wrk-load.lua. Why not autocannon, which the section used before: it runs
// on the same 2 cores as the server under test, and when every request is built anew (setUID's bodies) it
// spent 45–48 µs of CPU per request here against wrk's 26–27, and held bare node:http to 21,000–23,000
// requests per second, where wrk reached 36,000: the generator, not the server, set setUID's figures.
// With one fixed body the two cost about the same. DECISIONS item 32 has the figures.
import { execFile, execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { root } from './proc.mjs';

const SCRIPT = join(root, 'bench', 'lib', 'wrk-load.lua');
const RESULT = /^BENCH_RESULT (.*)$/m;

/** wrk's version line; an error that says how to install it when it is not on PATH. */
export function wrkVersion() {
  let output;
  try {
    output = execFileSync('wrk', ['-v'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 10_000 });
  } catch (error) {
    if (error.code === 'ENOENT') {
      throw new Error('wrk: not found on PATH; the mock section loads the servers with it (Debian: apt-get install wrk; macOS: brew install wrk)');
    }
    output = String(error.stdout ?? ''); // wrk 4.1 prints its version and exits 1
  }
  const line = output.split('\n')[0] ?? '';
  if (/^wrk /.test(line)) return line.replace(/ \[.*$/, '').trim();
  throw new Error(`wrk -v: no version line (it printed ${JSON.stringify(line.slice(0, 100))})`);
}

/**
 * Loads `url + path` for `seconds` (whole seconds: wrk takes no fractions) at `connections`, POSTing `body`,
 * or the lines of `bodiesFile` in turn from line `start`. Resolves with requests per second, p99 in ms, the
 * answers that were errors (any socket error, timeout, or an answer that is not HTTP 200 with errorCode 0)
 * with a sample, and how many bodies were taken (the next load's `start`).
 */
export function wrkLoad({ url, path, body, bodiesFile, start = 0, seconds, connections }) {
  if (!Number.isInteger(seconds) || seconds < 1) throw new Error(`wrkLoad: seconds must be a whole number ≥ 1, not ${seconds}`);
  const env = { ...process.env, BENCH_PATH: path, ...(bodiesFile ? { BENCH_BODIES: bodiesFile, BENCH_START: String(start) } : { BENCH_BODY: body }) };
  const args = ['-t1', `-c${connections}`, `-d${seconds}s`, '--timeout', '10s', '-s', SCRIPT, url];
  return new Promise((resolve, reject) => {
    execFile('wrk', args, { env, encoding: 'utf8', timeout: (seconds + 60) * 1000, maxBuffer: 1 << 20 }, (error, stdout, stderr) => {
      const match = RESULT.exec(stdout);
      if (error || !match) {
        reject(new Error(`wrk ${args.join(' ')}: ${error ? error.message : 'no BENCH_RESULT line'}\n${stderr}${stdout}`.slice(0, 4000)));
        return;
      }
      const r = JSON.parse(match[1]);
      resolve({
        rps: r.requests / (r.durationUs / 1e6),
        requests: r.requests,
        p99: r.p99Us / 1000,
        bad: r.connectErrors + r.readErrors + r.writeErrors + r.timeouts + r.wrong,
        sample: r.sample,
        taken: r.taken,
      });
    });
  });
}
