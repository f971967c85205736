// `npm run soak` must keep running: one short pass (440 requests over 10 connections, so that each goes through its whole cycle of calls however slow the machine) of bench/soak.mjs against the built
// mock, checked for exit code 0 and for the figures it prints. No timing is asserted: a slow or busy
// machine must not fail the suite. The full soak (50 connections, 30 s) is `npm run soak`.
import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));

function soak(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['bench/soak.mjs', ...args], { cwd: root, timeout: 120_000 }, (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe('bench/soak.mjs', () => {
  it('runs a short soak to the end with no failed request and prints its figures', { timeout: 150_000 }, async () => {
    const { code, stdout, stderr } = await soak(['--requests', '440', '--connections', '10']);
    expect({ code, stderr: stderr.slice(-2000) }, stdout).toEqual({ code: 0, stderr: expect.any(String) });
    expect(stdout).toMatch(/^soak: 10 connections for 440 requests against http:\/\/127\.0\.0\.1:\d+/m);
    const requests = /^requests: (\d+) in [\d.]+ s \((\d+) req\/s\)$/m.exec(stdout);
    expect(requests, stdout).not.toBeNull();
    expect(Number(requests![1])).toBeGreaterThan(0);
    expect(stdout).toMatch(/^latency: p50 \d+(\.\d+)? ms, p99 \d+(\.\d+)? ms, max \d+(\.\d+)? ms$/m);
    // Both kinds of answer of the mix came back: JSON (200) and the login's redirect (302).
    expect(stdout).toMatch(/^statuses: 200: \d+, 302: \d+ /m);
    expect(stdout).toMatch(/^errors: 0, timeouts: 0, unexpected statuses: 0, wrong answers: 0$/m);
    expect(stdout).toMatch(/^result: PASS$/m);
  });

  it('fails (exit 1) when the answers are wrong: a server that answers every call with an error', { timeout: 60_000 }, async () => {
    // The bare benchmark server answers everything with one fixed body; here an error envelope.
    const wrong = spawn(process.execPath, ['bench/servers/bare.mjs', '0'], {
      cwd: root,
      env: { ...process.env, BENCH_ANSWER: JSON.stringify({ errorCode: 403003, statusCode: 403 }) },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    try {
      const [line] = (await once(wrong.stdout!, 'data')) as [Buffer];
      const url = /listening on (http:\/\/\S+)/.exec(line.toString())![1]!;
      const { code, stdout } = await soak([
        '--duration',
        '1',
        '--connections',
        '2',
        '--url',
        url,
        '--api-key',
        '3_x',
        '--secret',
        'AAECAwQFBgcICQoLDA0ODw==',
      ]);
      expect(code, stdout).toBe(1);
      expect(stdout).toMatch(/wrong answers: [1-9]\d*/);
      expect(stdout).toMatch(/^result: FAILED \(\d+ failed requests\)$/m);
    } finally {
      wrong.kill('SIGTERM');
    }
  });

  it('refuses a bad flag value with exit code 2 and names the flag', async () => {
    const { code, stderr } = await soak(['--connections', 'many']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/--connections/);
  });
});
