// What `npm start` decides to build rests on scripts/freshness.mjs: a target is rebuilt when it is missing
// or older than any file under its sources, and the reason printed names the file that made it stale.
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
// @ts-expect-error -- a plain .mjs build script without type declarations
import { newestFile, staleReason } from '../../scripts/freshness.mjs';

const dir = mkdtempSync(join(tmpdir(), 'socialize-freshness-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(path: string, secondsAgo: number): string {
  const full = join(dir, path);
  mkdirSync(join(full, '..'), { recursive: true });
  writeFileSync(full, path);
  const when = Date.now() / 1000 - secondsAgo;
  utimesSync(full, when, when);
  return full;
}

describe('staleReason', () => {
  test('a missing target is stale, and the reason says so', () => {
    expect(staleReason(join(dir, 'nowhere', 'out.js'), [dir])).toMatch(/out\.js is missing$/);
  });

  test('a target newer than every source is fresh; a deeper, newer source makes it stale and is named', () => {
    const sources = join(dir, 'src');
    file('src/a.ts', 300);
    file('src/deep/b.ts', 200);
    const target = file('dist/out.js', 100);
    // Folder times count too (a deleted file shows only there): set them in the past as well.
    const past = Date.now() / 1000 - 250;
    for (const folder of ['src', 'src/deep']) utimesSync(join(dir, folder), past, past);
    expect(staleReason(target, [sources])).toBeNull();

    // Adding a file also touches its folder (now); the reason still names the file.
    const changed = file('src/deep/c.ts', 10);
    expect(newestFile(sources).file.path).toBe(changed);
    expect(staleReason(target, [sources])).toMatch(/src\/deep\/c\.ts changed after .*dist\/out\.js was built$/);
  });

  test('a deleted source shows only in its folder, and that is reason enough', () => {
    const sources = join(dir, 'lib');
    const gone = file('lib/old.ts', 300);
    const target = file('lib-dist/out.js', 100);
    const past = Date.now() / 1000 - 250;
    utimesSync(sources, past, past);
    expect(staleReason(target, [sources])).toBeNull();
    rmSync(gone);
    expect(staleReason(target, [sources])).toMatch(/lib\/ changed \(a file added, renamed or deleted\) after/);
  });

  test('sources that do not exist are ignored', () => {
    const target = file('only/out.js', 100);
    expect(staleReason(target, [join(dir, 'no-such-folder')])).toBeNull();
  });
});
