// The mock as users start it: `node packages/mock/dist/cli.js` as a child process (built by the global setup).
// It prints its URL and the test credentials (a secret of the user's own never), answers, logs one line per
// request (with errorDetails under --verbose), stops with exit code 0 on SIGTERM and SIGINT, and refuses bad
// flags with exit code 2 and a message naming the flag; a port in use names --port.
import { createServer, type AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { validateUIDSignature } from '../../src/index.js';
import { DEFAULT_SECRET } from '../../src/mock/index.js';
import { outputMatching, runCli as run, startCli as start } from '../helpers/mock-cli.js';
import { expectConforms, post } from './mock-helpers.js';

describe('socialize-mock CLI (child process)', () => {
  test('prints URL and API key (not a secret given with --secret), answers, logs each request, and exits 0 on SIGTERM', async () => {
    const mock = await start(['--api-key', '3_cliSite', '--secret', 'AAECAwQFBgcICQoLDA0ODw==']);
    try {
      expect(mock.output()).toContain('3_cliSite');
      expect(mock.output()).not.toContain('AAECAwQFBgcICQoLDA0ODw==');
      expect(mock.output()).toContain('secret set from --secret (not shown)');
      expect(mock.output()).toContain(`${mock.url}/openapi.yaml`);
      const reply = await post(mock.url, 'socialize.notifyLogin', { apiKey: '3_cliSite', secret: 'AAECAwQFBgcICQoLDA0ODw==', siteUID: 'site-user-42' });
      expectConforms(reply, '/socialize.notifyLogin');
      expect(reply.body.errorCode).toBe(0);
      await expect(validateUIDSignature({ secret: 'AAECAwQFBgcICQoLDA0ODw==', ...reply.body } as never)).resolves.toBe(true);
      const denied = await post(mock.url, 'socialize.setUID', { apiKey: '3_cliSite', secret: 'c2VjcmV0', UID: 'u', siteUID: 's' });
      expect(denied.body.errorCode).toBe(403003);
      // The log line is written after the answer: wait for it rather than for the clock.
      await outputMatching(mock, /POST \/socialize\.setUID → 403003 /);
      expect(mock.output()).toMatch(/POST \/socialize\.notifyLogin → 0 /);
      expect(mock.output()).toMatch(/POST \/socialize\.setUID → 403003 /);
      expect(mock.output()).not.toContain('c2VjcmV0');
      expect(mock.output(), 'errorDetails only with --verbose').not.toContain('does not match');
    } finally {
      mock.child.kill('SIGTERM');
    }
    expect(await mock.exit).toEqual({ code: 0, signal: null });
  });

  test('the default secret is printed (a public test value); one from SOCIALIZE_MOCK_SECRET is used, not printed', async () => {
    const plain = await start(['--quiet']);
    try {
      expect(plain.output()).toContain(`secret ${DEFAULT_SECRET}`);
    } finally {
      plain.child.kill('SIGTERM');
    }
    const secret = Buffer.from('a secret from the environment').toString('base64');
    const mock = await start(['--quiet'], { SOCIALIZE_MOCK_SECRET: secret });
    try {
      expect(mock.output()).not.toContain(secret);
      expect(mock.output()).toContain('secret set from SOCIALIZE_MOCK_SECRET (not shown)');
      const reply = await post(mock.url, 'socialize.setUID', { apiKey: '3_socializeMockTestSite', secret, UID: '_gid_Maxa3fCszqWc1A1D1HsoHg==', siteUID: 'site-user-42' });
      expect(reply.body.errorCode).toBe(0);
    } finally {
      mock.child.kill('SIGTERM');
    }
    await Promise.all([plain.exit, mock.exit]);
    const bad = run([], { SOCIALIZE_MOCK_SECRET: 'not base64!' });
    expect((await bad.exit).code).toBe(2);
    expect(bad.output()).toContain('SOCIALIZE_MOCK_SECRET');
  });

  test('--verbose adds errorDetails to the log line', async () => {
    const mock = await start(['--verbose']);
    try {
      await post(mock.url, 'socialize.setUID', { apiKey: '3_socializeMockTestSite', siteUID: 's' });
      await outputMatching(mock, /POST \/socialize\.setUID → 400002 \(Missing required parameter: .+\) [\d.]+ ms/);
      expect(mock.output()).toMatch(/POST \/socialize\.setUID → 400002 \(Missing required parameter: secret .+\) [\d.]+ ms/);
    } finally {
      mock.child.kill('SIGTERM');
    }
    expect((await mock.exit).code).toBe(0);
  });

  test('a port in use: exit 1, naming the port and the --port flag', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    try {
      const port = (taken.address() as AddressInfo).port;
      const proc = run(['--port', String(port)]);
      expect((await proc.exit).code).toBe(1);
      expect(proc.output()).toContain(`port ${port} on 127.0.0.1 is already in use`);
      expect(proc.output()).toContain('--port');
    } finally {
      taken.close();
    }
  });

  test('under load, lines beyond 50 a second are summed up by outcome', async () => {
    const mock = await start([]);
    try {
      await Promise.all(Array.from({ length: 120 }, () => post(mock.url, 'socialize.setUID', { apiKey: '3_socializeMockTestSite', siteUID: 's' })));
      await outputMatching(mock, /… and \d+ more requests in that second \(400002 ×\d+\)/);
      const lines = mock.output().split('\n').filter((l) => l.includes('→'));
      const summed = [...mock.output().matchAll(/… and (\d+) more requests in that second/g)].reduce((n, m) => n + Number(m[1]), 0);
      expect(summed).toBeGreaterThan(0);
      expect(lines.length + summed).toBe(120);
    } finally {
      mock.child.kill('SIGTERM');
    }
    expect((await mock.exit).code).toBe(0);
  });

  test('--docs, --delay and --quiet; exits 0 on SIGINT', async () => {
    const docs = fileURLToPath(new URL('../../README.md', import.meta.url));
    const mock = await start(['--docs', docs, '--delay', '50-80', '--quiet']);
    try {
      expect(mock.output()).toContain(`${mock.url}/docs`);
      const reply = await post(mock.url, 'socialize.setUID', { apiKey: '3_socializeMockTestSite', siteUID: 's' });
      expect(reply.body.errorCode).toBe(400002);
      expect(reply.ms).toBeGreaterThanOrEqual(49);
      await new Promise((r) => setTimeout(r, 50));
      expect(mock.output()).not.toContain('→');
    } finally {
      mock.child.kill('SIGINT');
    }
    expect(await mock.exit).toEqual({ code: 0, signal: null });
  });

  // Each case is a process of its own that exits at once: run them side by side.
  test.concurrent.each([
    [['--port', 'eighty'], '--port'],
    [['--port', '70000'], '--port'],
    [['--delay', 'slow'], '--delay'],
    [['--delay', '400-100'], '--delay'],
    [['--secret', 'not base64!'], '--secret'],
    [['--api-key', ''], '--api-key'],
    [['--docs', '/nonexistent/index.html'], '--docs'],
    [['--contract', '/nonexistent/openapi.yaml'], '--contract'],
    [['--colour'], '--colour'],
    [['--trusted-domains', 'not a domain'], '--trusted-domains'],
    [['--quiet', '--verbose'], '--verbose'],
    [['--build-only'], '--build-only'],
  ])('bad flag %j → exit 2 naming %s', async (args, flag) => {
    const proc = run(args);
    const { code } = await proc.exit;
    expect(code).toBe(2);
    expect(proc.output()).toContain(flag);
    expect(proc.output()).not.toContain('listening');
  });
});
