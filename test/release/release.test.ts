// `npm run release -- <version>` on a copy of the files it touches (and what regenerating generated/ needs),
// so the repository itself is never bumped: afterwards every place holds the new version, CHANGELOG.md's
// Unreleased entries sit under a dated heading, generated/ carries the version, nothing else changed, and
// the tag check of the release workflow accepts exactly the new tag.
import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { parse } from 'yaml';
// @ts-expect-error a plain ES module of the build tooling, without types
import { changelogSections, compareVersions, currentVersion, readVersions } from '../../scripts/release.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const copied = [
  'scripts',
  'src/mock/json-pointer.mjs', // the generator's JSON-pointer walker (scripts/client-limits.mjs)
  'openapi',
  'redocly.yaml',
  'generated',
  'package.json',
  'packages/contract/package.json',
  'packages/mock/package.json',
  'package-lock.json',
  'CHANGELOG.md',
];
let tree: string;

/** Runs scripts/release.mjs in the copy; resolves with its exit code and output. */
function releaseScript(...args: string[]): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [join(tree, 'scripts', 'release.mjs'), ...args], { cwd: tree, timeout: 120_000 }, (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code ?? 1) : 0, output: `${stdout}${stderr}` }),
    );
  });
}

const read = (base: string, file: string) => readFileSync(join(base, file), 'utf8');
/** A semver one minor step above `version` (pre-release dropped). */
const nextMinor = (version: string) => version.replace(/^(\d+)\.(\d+)\.\d+.*$/, (_, major, minor) => `${major}.${Number(minor) + 1}.0`);

beforeAll(() => {
  tree = mkdtempSync(join(tmpdir(), 'socialize-release-'));
  for (const path of copied) {
    mkdirSync(dirname(join(tree, path)), { recursive: true });
    cpSync(join(root, path), join(tree, path), { recursive: true });
  }
  symlinkSync(join(root, 'node_modules'), join(tree, 'node_modules'), 'dir');
});

afterAll(() => {
  if (tree) rmSync(tree, { recursive: true, force: true });
});

describe('npm run release -- <version>', () => {
  const before = currentVersion(root);
  const sectionsBefore = changelogSections(read(root, 'CHANGELOG.md'));
  // The next release: the current version while it has no entry (the first release keeps the version the
  // packages were made with), else one minor step up.
  const released = sectionsBefore.some((s: { heading: string }) => s.heading.startsWith(`[${before}]`));
  const next = released ? nextMinor(before) : before;
  const unreleased = sectionsBefore[0].body;

  test('refuses a version that is not semver or not newer, and changes nothing', async () => {
    for (const [version, message] of [
      ['v1', /semantic version/],
      ['0.0.1', /newer than/],
    ] as const) {
      const { code, output } = await releaseScript(version, '--date', '2026-12-01');
      expect(code).toBe(1);
      expect(output).toMatch(message);
    }
    expect((await releaseScript('1.0.0', '--date', '1st of May')).output).toMatch(/--date must be YYYY-MM-DD/);
    for (const path of [
      'package.json',
      'packages/contract/package.json',
      'packages/mock/package.json',
      'package-lock.json',
      'CHANGELOG.md',
      'openapi/openapi.yaml',
    ]) {
      expect(read(tree, path), path).toBe(read(root, path));
    }
  });

  test(`bumps every place to ${next}, dates the changelog entry and regenerates generated/`, async () => {
    const { code, output } = await releaseScript(next, '--date', '2026-12-01');
    expect(output).toContain(`release: ${before} → ${next}`);
    expect(code).toBe(0);
    const versions: Array<{ place: string; version: string }> = readVersions(tree);
    expect(versions.filter((v) => v.version !== next)).toEqual([]);
    expect(parse(read(tree, 'generated/openapi.yaml')).info.version).toBe(next);
    // Read straight from the files too, so that a place missing from the script's list shows here.
    const lock = JSON.parse(read(tree, 'package-lock.json'));
    const mock = JSON.parse(read(tree, 'packages/mock/package.json'));
    expect([
      lock.version,
      lock.packages[''].version,
      lock.packages['packages/contract'].version,
      lock.packages['packages/mock'].version,
      lock.packages['packages/mock'].dependencies['gigya-socialize-contract'],
      mock.version,
      mock.dependencies['gigya-socialize-contract'],
      JSON.parse(read(tree, 'packages/contract/package.json')).version,
      JSON.parse(read(tree, 'package.json')).version,
      parse(read(tree, 'openapi/openapi.yaml')).info.version,
    ]).toEqual(Array(10).fill(next));

    const sections = changelogSections(read(tree, 'CHANGELOG.md'));
    expect(sections[0]).toMatchObject({ heading: '[Unreleased]', body: '' });
    expect(sections[1]).toMatchObject({ heading: `[${next}] - 2026-12-01`, body: unreleased });
  });

  test('changes nothing but the version', () => {
    const withoutVersion = (text: string) => text.replaceAll(`"version": "${next}"`, 'V').replaceAll(`"version": "${before}"`, 'V');
    for (const file of ['package.json', 'packages/contract/package.json', 'packages/mock/package.json', 'package-lock.json']) {
      const depend = (text: string) =>
        text.replaceAll(`"gigya-socialize-contract": "${next}"`, 'D').replaceAll(`"gigya-socialize-contract": "${before}"`, 'D');
      expect(depend(withoutVersion(read(tree, file))), file).toBe(depend(withoutVersion(read(root, file))));
    }
    const contract = (base: string) => read(base, 'openapi/openapi.yaml').replace(/^( {2}version: ).*$/m, '$1V');
    expect(contract(tree)).toBe(contract(root));
    const bundled = (base: string) => read(base, 'generated/openapi.yaml').replace(/^( {2}version: ).*$/m, '$1V');
    expect(bundled(tree)).toBe(bundled(root));
    expect(read(tree, 'generated/schema.ts')).toBe(read(root, 'generated/schema.ts'));
  });

  test('the release workflow’s tag check accepts the new tag only', async () => {
    expect(await releaseScript('--check-tag', `v${next}`)).toMatchObject({ code: 0 });
    const wrong = await releaseScript('--check-tag', `v${nextMinor(next)}`);
    expect(wrong.code).toBe(1);
    expect(wrong.output).toContain(`the tag must be v${next}`);
  });

  test('a second release refuses an empty Unreleased section', async () => {
    const { code, output } = await releaseScript(nextMinor(next), '--date', '2026-12-02');
    expect(code).toBe(1);
    expect(output).toContain('Unreleased section is empty');
    expect(compareVersions(currentVersion(tree), next)).toBe(0);
  });
});
