// The mock as users start it: `node packages/mock/dist/cli.js` (built by the global setup) as a child
// process, its stdout and stderr gathered in one string. Shared by the tests that are about the CLI.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const CLI = fileURLToPath(new URL('../../packages/mock/dist/cli.js', import.meta.url));

export interface CliExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface CliProcess {
  child: ChildProcess;
  /** Everything written to stdout and stderr so far. */
  output: () => string;
  exit: Promise<CliExit>;
}

export interface RunningCli extends CliProcess {
  url: string;
}

/** Spawns the CLI with exactly these arguments (and the environment plus `env`). */
export function runCli(args: string[], env: NodeJS.ProcessEnv = {}): CliProcess {
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  let output = '';
  child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
  // 'close', not 'exit': it comes after stdout and stderr have ended, so output() then holds every line
  // (after 'exit' the last lines can still be in the pipes: a bad flag's message was seen missing).
  const exit = new Promise<CliExit>((resolve) => child.once('close', (code, signal) => resolve({ code, signal })));
  return { child, output: () => output, exit };
}

/**
 * Starts the CLI on a free port (`--port 0` before `args`) and resolves once it has printed its URL;
 * rejects, with what it printed, when it exits first or prints nothing within `boundMs` (only a hang
 * reaches it: on a busy machine a start with 20,000 accounts to load took over 20 s).
 */
export async function startCli(args: string[], env: NodeJS.ProcessEnv = {}, boundMs = 60_000): Promise<RunningCli> {
  const proc = runCli(['--port', '0', ...args], env);
  const deadline = Date.now() + boundMs;
  for (;;) {
    const match = /^Mock server +listening on (http:\/\/\S+)/m.exec(proc.output());
    if (match) return { ...proc, url: match[1]! };
    if (proc.child.exitCode !== null) throw new Error(`the CLI exited early:\n${proc.output()}`);
    if (Date.now() > deadline) {
      proc.child.kill('SIGKILL');
      throw new Error(`no URL printed within ${boundMs / 1000} s:\n${proc.output()}`);
    }
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Sends `signal` and resolves with how the process ended. */
export async function stopCli(proc: CliProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<CliExit> {
  proc.child.kill(signal);
  return proc.exit;
}

/** Resolves once the output matches `pattern` (polling), or after `ms` with whatever it is. */
export async function outputMatching(proc: CliProcess, pattern: RegExp, ms = 10_000): Promise<string> {
  const deadline = Date.now() + ms;
  while (!pattern.test(proc.output()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  return proc.output();
}
