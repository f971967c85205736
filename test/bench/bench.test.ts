// The benchmarks must keep running: one quick pass of `npm run bench` (BENCH_QUICK=1), checked only for
// having run every section to the end. Speed is never asserted: a slow or busy machine must not fail a test.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
// Only a hang reaches this: the quick pass ran past 170 s twice on a busy 2-core machine (killed, exit 130).
const BOUND_MS = 480_000;
const sections = ['signatures', 'client', 'mock', 'pipeline', 'websdk'];

function runQuick(): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['bench/run.mjs'],
      { cwd: root, env: { ...process.env, BENCH_QUICK: '1' }, timeout: BOUND_MS, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe('npm run bench (quick mode)', () => {
  it('runs every section to the end and prints a result table for each', { timeout: BOUND_MS + 30_000 }, async () => {
    const { code, stdout, stderr } = await runQuick();
    expect({ code, stderr: stderr.slice(-2000), failed: stdout.match(/^FAILED: .*$/m)?.[0] }).toEqual({
      code: 0,
      stderr: expect.any(String),
      failed: undefined,
    });
    expect(stdout).toMatch(/quick mode/);
    for (const name of sections) {
      const at = stdout.indexOf(`\n## ${name}\n`);
      expect(at, `section ${name} printed`).toBeGreaterThan(-1);
      const body = stdout.slice(at, stdout.indexOf(`\n(${name}: `, at));
      // A table (header rule) or an explicit UNAVAILABLE line: never an empty section.
      expect(body, `section ${name} has a table`).toMatch(/^-{3,}(?: {2}-{3,})+$/m);
    }
    expect(stdout).toMatch(/^total: \d+\.\d s$/m);
  });
});
