// One version for the contract, both packages and the docs (docs/DECISIONS.md, "One version"): every place
// it is written agrees, CHANGELOG.md is in Keep a Changelog form, and the release script's pieces (semver
// order, the changelog cut) do what the release relies on. The release run itself: release.test.ts.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { parse } from 'yaml';
// @ts-expect-error a plain ES module of the build tooling, without types
import { changelogSections, compareVersions, currentVersion, cutChangelog, readVersions } from '../../scripts/release.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const read = (file: string) => readFileSync(join(root, file), 'utf8');
const json = (file: string) => JSON.parse(read(file));

describe('one version', () => {
  test('the contract, the root, both packages, the mock’s dependency and the lockfile agree', () => {
    const versions: Array<{ place: string; version: string }> = readVersions(root);
    // Read again here, straight from the files, so that the list in scripts/release.mjs cannot leave one out.
    const expected = parse(read('openapi/openapi.yaml')).info.version;
    const lock = json('package-lock.json');
    const direct = [
      json('package.json').version,
      json('packages/contract/package.json').version,
      json('packages/mock/package.json').version,
      json('packages/mock/package.json').dependencies['gigya-socialize-contract'],
      lock.version,
      lock.packages[''].version,
      lock.packages['packages/contract'].version,
      lock.packages['packages/mock'].version,
      lock.packages['packages/mock'].dependencies['gigya-socialize-contract'],
      parse(read('generated/openapi.yaml')).info.version,
    ];
    expect(
      versions.filter((v) => v.version !== expected),
      'places that disagree with info.version',
    ).toEqual([]);
    expect(direct).toEqual(direct.map(() => expected));
    expect(versions.length).toBeGreaterThanOrEqual(9);
    expect(currentVersion(root)).toBe(expected);
  });

  test('the mock depends on exactly that version of the contract package', () => {
    expect(json('packages/mock/package.json').dependencies['gigya-socialize-contract']).toMatch(/^\d+\.\d+\.\d+(-[\w.-]+)?$/);
  });
});

describe('CHANGELOG.md', () => {
  const changelog = read('CHANGELOG.md');
  const sections: Array<{ heading: string; body: string }> = changelogSections(changelog);

  test('is in Keep a Changelog form: an Unreleased section first, then dated versions, newest first', () => {
    expect(changelog.startsWith('# Changelog\n')).toBe(true);
    expect(changelog).toContain('https://keepachangelog.com/en/1.1.0/');
    expect(sections[0]!.heading).toBe('[Unreleased]');
    const releases = sections.slice(1);
    for (const { heading } of releases) expect(heading).toMatch(/^\[\d+\.\d+\.\d+(-[\w.-]+)?\] - \d{4}-\d{2}-\d{2}$/);
    const versions = releases.map(({ heading }) => /^\[([^\]]+)\]/.exec(heading)![1]!);
    expect([...versions].sort((a, b) => compareVersions(b, a))).toEqual(versions);
  });

  test("groups changes under Keep a Changelog's headings", () => {
    const allowed = ['Added', 'Changed', 'Deprecated', 'Removed', 'Fixed', 'Security'];
    const groups = [...changelog.matchAll(/^### (.+)$/gm)].map((match) => match[1]);
    expect(groups.length).toBeGreaterThan(0);
    expect(groups.filter((group) => !allowed.includes(group!))).toEqual([]);
  });

  test('has an entry for the current version once it is released, and nothing newer', () => {
    const current = currentVersion(root);
    for (const { heading } of sections.slice(1)) {
      expect(compareVersions(/^\[([^\]]+)\]/.exec(heading)![1]!, current)).toBeLessThanOrEqual(0);
    }
  });
});

describe('the release script’s pieces', () => {
  test('order versions by semver precedence', () => {
    const ordered = [
      '0.1.0',
      '0.1.1',
      '0.2.0-alpha',
      '0.2.0-alpha.1',
      '0.2.0-alpha.beta',
      '0.2.0-beta.2',
      '0.2.0-beta.11',
      '0.2.0-rc.1',
      '0.2.0',
      '0.10.0',
      '1.0.0',
      '2.0.0',
    ];
    for (let i = 0; i + 1 < ordered.length; i++) {
      expect(compareVersions(ordered[i], ordered[i + 1]), `${ordered[i]} < ${ordered[i + 1]}`).toBeLessThan(0);
      expect(compareVersions(ordered[i + 1], ordered[i])).toBeGreaterThan(0);
    }
    expect(compareVersions('1.2.3', '1.2.3')).toBe(0);
  });

  const sample = '# Changelog\n\nIntro.\n\n## [Unreleased]\n\n### Added\n\n- A thing.\n\n## [0.1.0] - 2026-01-02\n\n### Added\n\n- The first.\n';

  test('move Unreleased into a dated entry under a new, empty Unreleased', () => {
    expect(cutChangelog(sample, '0.2.0', '2026-12-01')).toBe(
      '# Changelog\n\nIntro.\n\n## [Unreleased]\n\n## [0.2.0] - 2026-12-01\n\n### Added\n\n- A thing.\n\n## [0.1.0] - 2026-01-02\n\n### Added\n\n- The first.\n',
    );
  });

  test('refuse to release an empty Unreleased section or a version that has an entry', () => {
    const cut = cutChangelog(sample, '0.2.0', '2026-12-01');
    expect(() => cutChangelog(cut, '0.3.0', '2026-12-02')).toThrow(/Unreleased section is empty/);
    expect(() => cutChangelog(sample, '0.1.0', '2026-12-02')).toThrow(/already has an entry for 0\.1\.0/);
    expect(() => cutChangelog('# Changelog\n', '0.1.0', '2026-12-02')).toThrow(/no "## \[Unreleased\]" section/);
  });
});
