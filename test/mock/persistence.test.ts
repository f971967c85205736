// `--state <file>` and `--accounts <file>` on the mock as users start it (the built CLI as a child
// process): accounts and created sites survive a restart; a `kill -9` in the middle of a stream of writes
// never leaves a file that fails to load; a bad file stops the start with exit code 2 naming the flag and
// the member; the user key flags set the test site's user key.
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runCli, startCli, stopCli } from '../helpers/mock-cli.js';
import { post } from './mock-helpers.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'socialize-state-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Every start here is quiet: the tests read the banner and the files, not the request log.
const spawnCli = (args: string[]) => runCli(['--port', '0', '--quiet', ...args]);
const started = (args: string[]) => startCli(['--quiet', ...args]);
const stop = stopCli;

const site = { apiKey: '3_socializeMockTestSite', secret: 'c29jaWFsaXplLW1vY2sgcGFydG5lciBzZWNyZXQgKHRlc3Qgb25seSk=' };

describe('--state keeps every site across restarts', () => {
  test('accounts of the test site and of a created site, with its credentials, come back', async () => {
    const file = join(dir, 'restart.json');
    const first = await started(['--state', file]);
    let created: { apiKey: string; secret: string };
    try {
      expect((await post(first.url, 'socialize.notifyLogin', { ...site, siteUID: 'kept-user' })).body.errorCode).toBe(0);
      created = (await post(first.url, '__mock/createSite', {})).body as never;
      expect((await post(first.url, 'socialize.notifyLogin', { apiKey: created.apiKey, secret: created.secret, siteUID: 'kept-in-created' })).body.errorCode).toBe(0);
    } finally {
      await stop(first);
    }
    expect(JSON.parse(readFileSync(file, 'utf8')).version).toBe(1);
    const second = await started(['--state', file]);
    try {
      const again = await post(second.url, 'socialize.notifyLogin', { ...site, siteUID: 'kept-user' });
      expect(again.body).toMatchObject({ errorCode: 0, UID: 'kept-user' });
      expect(again.body.isNewUser).toBeUndefined();
      const list = await post(second.url, '__mock/listAccounts', { apiKey: created.apiKey, secret: created.secret });
      expect(list.body.accounts.map((a: { UID: string }) => a.UID)).toEqual(['kept-in-created']);
    } finally {
      await stop(second);
    }
  });

  // Six starts of the CLI with 20,000 accounts to load (eight, with six rounds, ran past three minutes on
  // a busy machine); the bound only stops a hang.
  test('kill -9 at any moment of a stream of writes leaves a file that loads', { timeout: 400_000 }, async () => {
    const file = join(dir, 'killed.json');
    // A large state (20,000 accounts), so that each write takes a while and a kill can land inside one.
    const fixture = join(dir, 'large-fixture.json');
    writeFileSync(fixture, JSON.stringify(Array.from({ length: 20_000 }, (_, i) => ({ gigyaUID: `_gid_seed${i}`, siteUID: `seed-${i}` }))));
    const seed = await started(['--state', file, '--accounts', fixture]);
    expect((await post(seed.url, 'socialize.notifyLogin', { ...site, siteUID: 'seeded' })).body.errorCode).toBe(0);
    await stop(seed);
    expect(JSON.parse(readFileSync(file, 'utf8')).sites[0].accounts).toHaveLength(20_001);
    // Each round kills at a random moment after a write began (the count is a choice, not a requirement).
    const ROUNDS = 4;
    for (let round = 0; round < ROUNDS; round++) {
      const proc = await started(['--state', file]);
      const before = statSync(file).mtimeMs;
      let sent = 0;
      let stopped = false;
      const writer = (async () => {
        while (!stopped) await post(proc.url, 'socialize.notifyLogin', { ...site, siteUID: `r${round}-u${sent++}` }).catch(() => undefined);
      })();
      // Once this round has written the file, let the writes go on for a random while, then kill.
      const deadline = Date.now() + 30_000;
      while (statSync(file).mtimeMs === before) {
        if (Date.now() > deadline) throw new Error(`no write within 30 s:\n${proc.output()}`);
        await new Promise((r) => setTimeout(r, 5));
      }
      await new Promise((r) => setTimeout(r, 50 + Math.random() * 400));
      await stop(proc, 'SIGKILL');
      stopped = true;
      await writer;
      const text = readFileSync(file, 'utf8');
      expect(() => JSON.parse(text), `round ${round}: the file is whole JSON (${text.length} characters)`).not.toThrow();
    }
    // And the mock starts from it, with the accounts of every round.
    const last = await started(['--state', file]);
    try {
      const list = await post(last.url, '__mock/listAccounts', { ...site, start: '20000', limit: '10000' });
      expect(list.body.errorCode).toBe(0);
      for (let round = 0; round < ROUNDS; round++) expect(list.body.accounts.some((a: { UID: string }) => a.UID.startsWith(`r${round}-`)), `round ${round}`).toBe(true);
    } finally {
      await stop(last);
    }
  });
});

describe('bad files stop the start, naming the flag and what is wrong', () => {
  test('--state: not JSON, or breaking the schema', async () => {
    const broken = join(dir, 'broken.json');
    writeFileSync(broken, '{"version": 1, "sites": [');
    let proc = spawnCli(['--state', broken]);
    expect((await proc.exit).code).toBe(2);
    expect(proc.output()).toMatch(/--state .*not valid JSON/);
    writeFileSync(broken, JSON.stringify({ version: 1, sites: [{ ...site, userKey: 'k', userSecret: 'AAAA', accounts: [{ siteUID: 'no-gigya-uid' }] }] }));
    proc = spawnCli(['--state', broken]);
    expect((await proc.exit).code).toBe(2);
    expect(proc.output()).toMatch(/--state .*sites\.0\.accounts\.0.*gigyaUID/);
  });

  test('--accounts: a fixture that breaks the rules, then a good one that the test site starts with', async () => {
    const fixture = join(dir, 'fixture.json');
    writeFileSync(fixture, JSON.stringify([{ gigyaUID: '_gid_a', siteUID: 'same' }, { gigyaUID: '_gid_b', siteUID: 'same' }]));
    const bad = spawnCli(['--accounts', fixture]);
    expect((await bad.exit).code).toBe(2);
    expect(bad.output()).toMatch(/--accounts .*accounts\[1\]\.siteUID/);
    const missing = spawnCli(['--accounts', join(dir, 'nope.json')]);
    expect((await missing.exit).code).toBe(2);
    expect(missing.output()).toMatch(/--accounts /);
    writeFileSync(fixture, JSON.stringify({ accounts: [{ gigyaUID: '_gid_a', siteUID: 'fixture-user' }] }));
    const good = await started(['--accounts', fixture]);
    try {
      const list = await post(good.url, '__mock/listAccounts', site);
      expect(list.body.accounts.map((a: { UID: string }) => a.UID)).toEqual(['fixture-user']);
    } finally {
      await stop(good);
    }
  });
});

describe('user key flags', () => {
  test('--user-key and --user-secret set the test site\'s user key, printed at start', async () => {
    const proc = await started(['--user-key', 'ACliUserKey', '--user-secret', 'AAECAwQFBgcICQoLDA0ODw==']);
    try {
      expect(proc.output()).toContain('userKey ACliUserKey');
      const ok = await post(proc.url, 'socialize.notifyLogin', { apiKey: site.apiKey, userKey: 'ACliUserKey', secret: 'AAECAwQFBgcICQoLDA0ODw==', siteUID: 'uk' });
      expect(ok.body.errorCode).toBe(0);
      const wrong = await post(proc.url, 'socialize.notifyLogin', { apiKey: site.apiKey, userKey: 'ACliUserKey', secret: site.secret, siteUID: 'uk' });
      expect(wrong.body.errorCode).toBe(403003);
    } finally {
      await stop(proc);
    }
    const bad = spawnCli(['--user-secret', 'not base64!']);
    expect((await bad.exit).code).toBe(2);
    expect(bad.output()).toMatch(/--user-secret/);
  });
});
