// The mock section starts each load once every server is idle (bench/lib/proc.mjs untilQuiet): a server
// still working on the load before would otherwise share the cores with the one measured. Against a real
// child process that spins until told to stop, then sits idle: busy, it never counts as quiet (the wait
// ends at its deadline and says so); idle, it does.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs module of the bench, without types
import { untilQuiet } from '../../bench/lib/proc.mjs';

let dir: string;
let flag: string;
let child: ChildProcess;

// Spins (a file check per turn of the loop, all CPU) until the flag file exists, then idles until killed.
const spinner = `
const { existsSync } = require('node:fs');
process.stdout.write('spinning\\n');
while (!existsSync(process.argv[1])) {}
process.stdout.write('idle\\n');
setInterval(() => {}, 60_000);
`;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'quiet-test-'));
  flag = join(dir, 'stop');
  child = spawn(process.execPath, ['-e', spinner, flag], { stdio: ['ignore', 'pipe', 'inherit'] });
  expect(String((await once(child.stdout!, 'data'))[0])).toBe('spinning\n');
});
afterAll(() => {
  child?.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(process.platform !== 'linux')('untilQuiet (reads /proc)', () => {
  // Windows of 500 ms and a bar of 1%: a spinning process on a machine busy with the rest of the suite
  // still gets far more than 5 ms of CPU in half a second (100 ms windows at 5% once failed there).
  it('does not count a busy process as quiet: it stops at its deadline and reports the share it saw', async () => {
    const result = await untilQuiet([child.pid], { windowMs: 500, maxShare: 0.01, timeoutMs: 1_500 });
    expect(result).toMatchObject({ settled: false });
    expect(result.share).toBeGreaterThan(0.01);
    expect(result.waitedMs).toBeGreaterThanOrEqual(1_500);
  });

  it('counts it as quiet once it idles', async () => {
    const idle = once(child.stdout!, 'data');
    writeFileSync(flag, '');
    expect(String((await idle)[0])).toBe('idle\n');
    const result = await untilQuiet([child.pid], { windowMs: 100, maxShare: 0.05, timeoutMs: 5_000 });
    expect(result).toMatchObject({ settled: true });
  });
});
