// The contract parsed with its ASCII strings held in one byte per character (src/mock/one-byte.ts,
// docs/DECISIONS.md item 30): the same values and the same errors as yaml's parse, and, in the CLI as
// shipped, answers that JSON.stringify builds in one byte per character (also with a fixture that holds a
// character beyond Latin-1, which JSON.parse handles by itself).
// v8.serialize tells the representation: a one-byte string is written with the tag `"` (0x22).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { serialize } from 'node:v8';
import { afterAll, describe, expect, test } from 'vitest';
import { parse } from 'yaml';
import { parseYaml } from '../../src/mock/one-byte.js';
import { startCli, stopCli } from '../helpers/mock-cli.js';
import { post } from './mock-helpers.js';

const CONTRACT = fileURLToPath(new URL('../../generated/openapi.yaml', import.meta.url));
const isOneByte = (s: string) => serialize(s)[2] === 0x22;

const outcome = <T>(run: () => T): { value: T } | { error: string } => {
  try {
    return { value: run() };
  } catch (error) {
    return { error: (error as Error).message };
  }
};

describe('parseYaml', () => {
  // Names are interned process-wide, and this process (vitest's) may hold them two-byte already: here only
  // strings of the test's own are looked at; the CLI test below checks the representation end to end.
  test('the bundled contract (characters beyond Latin-1 in descriptions) parses to the same document', () => {
    const text = readFileSync(CONTRACT, 'utf8');
    expect(isOneByte(text), 'the contract holds characters beyond Latin-1: the case this is for').toBe(false);
    expect(parseYaml(text)).toStrictEqual(parse(text));
  });

  test('a string of its own, in a text with a character beyond Latin-1, comes out one-byte', () => {
    const value = parseYaml('note: "→ an arrow"\nplain: one-byte-yaml-test-value\n') as Record<string, string>;
    expect(isOneByte(value.plain!)).toBe(true);
    expect(value.note).toBe('→ an arrow');
  });

  test.each([
    ['a plain scalar', 'a: é\n'],
    ['a name, flow and quoted scalars', 'é: 1\nb: [x, "y→", \'z…\']\n'],
    ['a block scalar', 'k: |\n  line é\n  two ü\n'],
    ['an alias', 'x: &a {ü: 1}\ny: *a\n'],
    ['a character outside the BMP', 'e: 😀x\n'],
    ['text that looks like a placeholder', 'n: Zq0q00e9\nm: é\n'],
    ['a byte order mark', '\uFEFFa: é\n'],
    ['a scalar that would be a number without its character', 'n: 1é\nm: é\n'],
    ['an invalid escape before the character', 'q: "\\é"\n'],
    ['a repeated name', 'é: 1\né: 2\n'],
    ['an implicit key grown past 1,024 characters by placeholders', `${'é'.repeat(200)}: 1\n`],
  ])('%s: the same value or the same error as parse', (_, text) => {
    expect(outcome(() => parseYaml(text))).toStrictEqual(outcome(() => parse(text)));
  });

  test('an alias stays one value after its names are restored', () => {
    const value = parseYaml('x: &a {ü: [é]}\ny: *a\n') as Record<string, unknown>;
    expect(value.x).toBe(value.y);
    expect(value.x).toEqual({ ü: ['é'] });
  });
});

describe('the CLI as shipped', () => {
  const dir = mkdtempSync(join(tmpdir(), 'one-byte-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test("answers are built one-byte, with a fixture in which one account's nickname is beyond Latin-1", async () => {
    // Reports, for each answer body written as a string, whether V8 holds it in one byte per character.
    const hook = join(dir, 'hook.mjs');
    writeFileSync(
      hook,
      `import { ServerResponse } from 'node:http';
import { serialize } from 'node:v8';
const end = ServerResponse.prototype.end;
ServerResponse.prototype.end = function (chunk, ...rest) {
  if (typeof chunk === 'string' && chunk.startsWith('{')) process.stderr.write('answer ' + (serialize(chunk)[2] === 0x22 ? 'one-byte' : 'two-byte') + '\\n');
  return end.call(this, chunk, ...rest);
};
`,
    );
    const account = (i: number, nickname: string) => ({
      gigyaUID: `_gid_oneByte${i}`,
      siteUID: `site-user-${i}`,
      registration: 'final',
      isSiteUser: true,
      identities: [{ provider: 'facebook', providerUID: `fb${i}`, session: { authToken: `tok${i}` }, lastLoginTime: '2026-01-01T00:00:00.000Z' }],
      profile: { nickname, firstName: 'Bench' },
      created: '2026-01-01T00:00:00.000Z',
      lastLogin: '2026-01-01T00:00:00.000Z',
    });
    const fixture = join(dir, 'accounts.json');
    writeFileSync(fixture, JSON.stringify([account(1, 'plain'), account(2, 'Łukasz')]));
    const apiKey = '3_oneByteSite';
    const secret = 'AAECAwQFBgcICQoLDA0ODw==';
    const mock = await startCli(['--quiet', '--api-key', apiKey, '--secret', secret, '--accounts', fixture], {
      NODE_OPTIONS: `--import=${JSON.stringify(pathToFileURL(hook).href)}`,
    });
    try {
      const plain = await post(mock.url, 'socialize.notifyLogin', { apiKey, secret, siteUID: 'site-user-1' });
      expect(plain.body.errorCode).toBe(0);
      expect(plain.body.user.providers).toBe('facebook');
      const moved = await post(mock.url, 'socialize.setUID', { apiKey, secret, UID: '_gid_oneByte1', siteUID: 'site-user-9' });
      expect(moved.body.errorCode).toBe(0);
      const named = await post(mock.url, 'socialize.notifyLogin', { apiKey, secret, siteUID: 'site-user-2' });
      expect(named.body.user.nickname).toBe('Łukasz');
    } finally {
      await stopCli(mock);
    }
    // The third answer holds "Łukasz" (beyond Latin-1): two-byte, as it must be.
    expect(mock.output().match(/^answer \S+/gm)).toEqual(['answer one-byte', 'answer one-byte', 'answer two-byte']);
  });
});
