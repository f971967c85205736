// `npm start` as a team meets it: scripts/start.mjs runs as a real process on a free port, prints where
// everything is, serves the docs, the contract and the API, and stops cleanly on SIGTERM. The tree is
// prepared first (built), so what is tested here is the everyday start, which must not rebuild anything.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, beforeAll, describe, expect, test } from 'vitest';
import { parse } from 'yaml';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../../', import.meta.url));
const script = fileURLToPath(new URL('../../scripts/start.mjs', import.meta.url));
const operations = ['socialize.setUID', 'socialize.notifyRegistration', 'socialize.notifyLogin', 'socialize.login'];

interface Started {
  child: ChildProcess;
  url: string;
  output: () => string;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const running: ChildProcess[] = [];

afterEach(() => {
  for (const child of running.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Runs `node scripts/start.mjs ...args` and resolves once it prints the mock's URL. */
async function start(args: string[]): Promise<Started> {
  const child = spawn(process.execPath, [script, ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  running.push(child);
  let text = '';
  child.stdout!.on('data', (chunk) => (text += chunk));
  child.stderr!.on('data', (chunk) => (text += chunk));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no URL printed within 30 s:\n${text}`)), 30_000);
    const look = () => {
      const match = /^Mock server   listening on (http:\/\/\S+)/m.exec(text);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    child.stdout!.on('data', look);
    void exit.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`start.mjs exited (${code ?? signal}) before printing its URL:\n${text}`));
    });
  });
  return { child, url, output: () => text, exit };
}

/** The value printed after a label of the start banner, e.g. "apiKey" → 3_socializeMockTestSite. */
function printed(output: string, label: string): string {
  const match = new RegExp(`\\b${label} (\\S+)`).exec(output);
  expect(match, `"${label} <value>" in the output:\n${output}`).not.toBeNull();
  return match![1]!;
}

async function setUID(url: string, apiKey: string, secret: string): Promise<Record<string, unknown>> {
  const answer = await fetch(`${url}/socialize.setUID`, {
    method: 'POST',
    // The account the contract's examples name: the mock starts with it, linked to site-user-42.
    body: new URLSearchParams({ apiKey, secret, UID: '_gid_Maxa3fCszqWc1A1D1HsoHg==', siteUID: 'site-user-42' }),
  });
  expect(answer.status).toBe(200);
  return (await answer.json()) as Record<string, unknown>;
}

beforeAll(async () => {
  // The prepared state (test/global-setup.ts has built it; this is a no-op then, and makes the file runnable
  // alone): whatever is missing or stale is built now, so the starts below have nothing to build.
  await run(process.execPath, [script, '--build-only'], { cwd: root, timeout: 240_000 });
}, 300_000);

describe('npm start (scripts/start.mjs)', () => {
  test('serves the docs, the contract and the API on the port given, and stops on SIGTERM with exit 0', async () => {
    const port = await freePort();
    const started = await start(['--port', String(port)]);
    expect(started.url).toBe(`http://127.0.0.1:${port}`);
    const output = started.output();
    expect(output, 'nothing is rebuilt when nothing is stale').not.toMatch(/compiling|building|regenerating/);
    expect(output).toContain(`http://127.0.0.1:${port}/docs`);
    expect(output).toContain(`http://127.0.0.1:${port}/openapi.yaml`);

    const docs = await fetch(`${started.url}/docs`);
    expect(docs.status).toBe(200);
    expect(docs.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await docs.text();
    for (const operation of operations) expect(html).toContain(operation);
    expect(html).toMatch(/<title>[^<]*socialize/i);

    const contract = await fetch(`${started.url}/openapi.yaml`);
    expect(contract.status).toBe(200);
    expect(contract.headers.get('content-type')).toMatch(/yaml/);
    const served = await contract.text();
    expect(served).toBe(readFileSync(new URL('../../generated/openapi.yaml', import.meta.url), 'utf8'));
    expect(Object.keys(parse(served).paths)).toEqual(expect.arrayContaining(operations.map((o) => `/${o}`)));

    // The printed test credentials are the ones the mock accepts.
    const answer = await setUID(started.url, printed(output, 'apiKey'), printed(output, 'secret'));
    expect(answer).toMatchObject({ errorCode: 0, statusCode: 200 });

    // One log line per request for a person reading; a burst is summed up instead of flooding the terminal.
    const burst = 200;
    const answers = await Promise.all(Array.from({ length: burst }, () => setUID(started.url, printed(output, 'apiKey'), printed(output, 'secret'))));
    expect(answers.every((a) => a.errorCode === 0)).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 1_300));
    const log = started.output();
    const shown = log.match(/^POST \/socialize\.setUID → 0 /gm)?.length ?? 0;
    const summed = [...log.matchAll(/^… and (\d+) more requests in that second \(0 ×\1\)$/gm)].reduce((n, m) => n + Number(m[1]), 0);
    expect(shown, 'request lines shown').toBeLessThan(burst + 1);
    expect(summed, 'requests summed up').toBeGreaterThan(0);
    expect(shown + summed).toBe(burst + 1);

    started.child.kill('SIGTERM');
    expect(await started.exit).toEqual({ code: 0, signal: null });
  });

  test('passes --api-key and --delay through to the mock, and does not print a secret given with --secret', async () => {
    const secret = Buffer.from('a secret given on the command line').toString('base64');
    const started = await start(['--port', '0', '--api-key', '3_anotherTestSite', '--secret', secret, '--delay', '300', '--quiet']);
    expect(started.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(printed(started.output(), 'apiKey')).toBe('3_anotherTestSite');
    expect(started.output()).not.toContain(secret);

    const before = performance.now();
    expect(await setUID(started.url, '3_anotherTestSite', secret)).toMatchObject({ errorCode: 0 });
    expect(performance.now() - before).toBeGreaterThanOrEqual(290);
    const wrongSecret = await setUID(started.url, '3_anotherTestSite', Buffer.from('not the secret').toString('base64'));
    expect(wrongSecret.errorCode).not.toBe(0);

    started.child.kill('SIGINT');
    expect(await started.exit).toEqual({ code: 0, signal: null });
  });

  test('the same command line as socialize-mock: --verbose and --trusted-domains pass through; a port in use names --port', async () => {
    const started = await start(['--port', '0', '--verbose', '--trusted-domains', 'app.example.com']);
    const refused = await fetch(
      `${started.url}/socialize.login?${new URLSearchParams({ x_provider: 'facebook', client_id: '3_socializeMockTestSite', redirect_uri: 'https://elsewhere.example.net/', response_type: 'token' })}`,
      { redirect: 'manual' },
    ).then((r) => r.json() as Promise<Record<string, unknown>>);
    expect(refused.errorCode).toBe(400011);
    const deadline = Date.now() + 10_000;
    while (!/→ 400011 \(redirect_uri: elsewhere\.example\.net is not a trusted domain/.test(started.output()) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(started.output()).toMatch(/→ 400011 \(redirect_uri: elsewhere\.example\.net is not a trusted domain/);

    const port = new URL(started.url).port;
    const clash = await run(process.execPath, [script, '--port', port], { cwd: root }).catch((error) => error);
    expect(clash.code).toBe(1);
    expect(clash.stderr).toContain(`port ${port} on 127.0.0.1 is already in use`);
    expect(clash.stderr).toContain('--port');
    started.child.kill('SIGTERM');
    expect(await started.exit).toEqual({ code: 0, signal: null });
  });

  test('`npm start --port 4011` without `--` is explained; under npm, --secret is refused (npm printed it)', async () => {
    const forgot = await run('npm', ['start', '--port', '4011'], { cwd: root }).catch((error) => error);
    expect(forgot.code).toBe(2);
    expect(forgot.stderr).toContain('pass flags after `--`: npm start -- --port 4011');
    const secret = Buffer.from('a secret on the npm command line').toString('base64');
    const printed = await run('npm', ['start', '--', '--port', '0', '--secret', secret], { cwd: root }).catch((error) => error);
    expect(printed.code).toBe(2);
    expect(printed.stderr).toContain('SOCIALIZE_MOCK_SECRET=<base64> npm start');
    expect(printed.stderr).not.toContain(secret);
  });

  test('refuses a bad flag value with a message naming the flag, exit 2', async () => {
    const failed = await run(process.execPath, [script, '--port', 'eighty'], { cwd: root }).catch((error) => error);
    expect(failed.code).toBe(2);
    expect(failed.stderr).toContain('--port');
    const unknown = await run(process.execPath, [script, '--prot', '80'], { cwd: root }).catch((error) => error);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('--prot');
  });
});
