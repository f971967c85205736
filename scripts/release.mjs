#!/usr/bin/env node
// One version for the contract, both packages and the docs (docs/DECISIONS.md, "One version").
//   npm run release -- <version> [--date YYYY-MM-DD]
//       sets <version> everywhere it is written (versionPlaces below), moves CHANGELOG.md's Unreleased
//       section into a dated entry, and regenerates generated/ (the bundled contract carries info.version).
//       Then commit, tag v<version> (annotated) and push it: the release workflow does the rest.
//   node scripts/release.mjs --check              fails unless every place agrees
//   node scripts/release.mjs --check-tag v1.2.3   also fails unless the tag names that version and
//                                                 CHANGELOG.md has its entry (the release workflow runs it)
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { parse } from 'yaml';
import { root as repositoryRoot } from './freshness.mjs';

const SEMVER =
  /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?$/;
const CONTRACT = 'gigya-socialize-contract';

/** Every place the version is written: file, what it is, how to read it and how to set it. */
const versionPlaces = [
  { file: 'openapi/openapi.yaml', what: 'info.version', yaml: true },
  { file: 'package.json', what: 'version', path: ['version'] },
  { file: 'packages/contract/package.json', what: 'version', path: ['version'] },
  { file: 'packages/mock/package.json', what: 'version', path: ['version'] },
  { file: 'packages/mock/package.json', what: `dependencies["${CONTRACT}"]`, path: ['dependencies', CONTRACT] },
  { file: 'package-lock.json', what: 'version', path: ['version'] },
  { file: 'package-lock.json', what: 'the root package', path: ['packages', '', 'version'] },
  { file: 'package-lock.json', what: 'packages/contract', path: ['packages', 'packages/contract', 'version'] },
  { file: 'package-lock.json', what: 'packages/mock', path: ['packages', 'packages/mock', 'version'] },
  { file: 'package-lock.json', what: `packages/mock's dependency on ${CONTRACT}`, path: ['packages', 'packages/mock', 'dependencies', CONTRACT] },
];

const dig = (value, path) => path.reduce((inner, key) => inner?.[key], value);

/** The version each place holds: [{ place: 'file: what', version }]. */
export function readVersions(root = repositoryRoot) {
  return versionPlaces.map((place) => {
    const text = readFileSync(join(root, place.file), 'utf8');
    const version = place.yaml ? parse(text)?.info?.version : dig(JSON.parse(text), place.path);
    return { place: `${place.file}: ${place.what}`, version };
  });
}

/** The one version every place holds; throws, listing each place, when they disagree. */
export function currentVersion(root = repositoryRoot) {
  const versions = readVersions(root);
  const distinct = new Set(versions.map((v) => v.version));
  if (distinct.size !== 1) {
    const lines = versions.map((v) => `  ${v.place} = ${JSON.stringify(v.version)}`).join('\n');
    throw new Error(`the versions disagree (set them with npm run release -- <version>):\n${lines}`);
  }
  return versions[0].version;
}

/** Semver precedence: negative when a < b, 0 when equal, positive when a > b. */
export function compareVersions(a, b) {
  const [ma, mb] = [SEMVER.exec(a), SEMVER.exec(b)];
  for (let i = 1; i <= 3; i++) if (Number(ma[i]) !== Number(mb[i])) return Number(ma[i]) - Number(mb[i]);
  if (ma[4] === mb[4]) return 0;
  if (ma[4] === undefined) return 1; // a release is newer than its pre-releases
  if (mb[4] === undefined) return -1;
  const [pa, pb] = [ma[4].split('.'), mb[4].split('.')];
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
    if (pa[i] === pb[i]) continue;
    const [na, nb] = [/^\d+$/.test(pa[i]), /^\d+$/.test(pb[i])];
    if (na && nb) return Number(pa[i]) - Number(pb[i]);
    if (na !== nb) return na ? -1 : 1; // numeric identifiers sort before alphanumeric ones
    return pa[i] < pb[i] ? -1 : 1;
  }
  return pa.length - pb.length;
}

/** CHANGELOG.md's `## ` sections in order: [{ heading, body, start, end }] (offsets into the text). */
export function changelogSections(text) {
  const headings = [...text.matchAll(/^## (.+)$/gm)];
  return headings.map((match, i) => {
    const end = i + 1 < headings.length ? headings[i + 1].index : text.length;
    return { heading: match[1].trim(), body: text.slice(match.index + match[0].length, end).trim(), start: match.index, end };
  });
}

/** The text with its Unreleased section moved under `## [version] - date`, and a new empty Unreleased. */
export function cutChangelog(text, version, date) {
  const sections = changelogSections(text);
  const unreleased = sections.find((s) => /^\[?Unreleased\]?$/i.test(s.heading));
  if (!unreleased) throw new Error('CHANGELOG.md has no "## [Unreleased]" section to release.');
  if (unreleased.body === '') throw new Error("CHANGELOG.md's Unreleased section is empty: say what this release changes first.");
  if (sections.some((s) => s.heading.startsWith(`[${version}]`))) throw new Error(`CHANGELOG.md already has an entry for ${version}.`);
  const entry = `## [Unreleased]\n\n## [${version}] - ${date}\n\n${unreleased.body}\n\n`;
  return text.slice(0, unreleased.start) + entry + text.slice(unreleased.end).replace(/^\n+/, '');
}

/** The text of each file of versionPlaces with `version` written in, keeping each file's formatting. */
function withVersion(root, version) {
  return [...new Set(versionPlaces.map((p) => p.file))].map((file) => {
    const places = versionPlaces.filter((p) => p.file === file);
    const text = readFileSync(join(root, file), 'utf8');
    if (places[0].yaml) {
      // The first indented version line after the top-level `info:` line.
      const updated = text.replace(/^(info:\n(?:[ \t]+.*\n|\n)*?[ \t]+version:[ \t]*)\S.*$/m, `$1${version}`);
      if (parse(updated)?.info?.version !== version) throw new Error(`${file}: could not find the line of info.version to set.`);
      return { file, text: updated };
    }
    const json = JSON.parse(text);
    for (const { path } of places) dig(json, path.slice(0, -1))[path.at(-1)] = version;
    return { file, text: `${JSON.stringify(json, null, 2)}\n` };
  });
}

/**
 * Releases `version` in the tree at `root`: checks it, sets it everywhere, cuts the changelog and
 * regenerates generated/. Throws with a clear message, before writing anything, when it cannot.
 */
export function release(root, version, date) {
  if (!SEMVER.test(version ?? ''))
    throw new Error(`version must be a semantic version such as 1.2.3 or 1.3.0-rc.1 (got ${JSON.stringify(version)}).`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new Error(`--date must be YYYY-MM-DD (got ${JSON.stringify(date)}).`);
  const current = currentVersion(root);
  const changelog = readFileSync(join(root, 'CHANGELOG.md'), 'utf8');
  const released = changelogSections(changelog).some((s) => s.heading.startsWith(`[${current}]`));
  // The first release keeps the version the packages were created with (never published: no entry yet).
  if (compareVersions(version, current) < 0 || (compareVersions(version, current) === 0 && released)) {
    throw new Error(`version must be newer than ${current}${released ? ', which is released' : ''} (got ${version}).`);
  }
  const files = [...withVersion(root, version), { file: 'CHANGELOG.md', text: cutChangelog(changelog, version, date) }];
  for (const { file, text } of files) writeFileSync(join(root, file), text);
  execFileSync(process.execPath, [join(root, 'scripts', 'generate.mjs')], { cwd: root, stdio: 'inherit' });
  return { from: current, to: version };
}

/** Throws unless `tag` is v<the one version> and CHANGELOG.md has that version's entry. */
export function checkTag(root, tag) {
  const version = currentVersion(root);
  if (tag !== `v${version}`)
    throw new Error(`the tag ${JSON.stringify(tag)} does not name this version: the files say ${version}, so the tag must be v${version}.`);
  const changelog = readFileSync(join(root, 'CHANGELOG.md'), 'utf8');
  if (!changelogSections(changelog).some((s) => s.heading.startsWith(`[${version}]`))) {
    throw new Error(`CHANGELOG.md has no entry for ${version}: make releases with npm run release -- ${version}.`);
  }
  return version;
}

function main() {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { check: { type: 'boolean' }, 'check-tag': { type: 'string' }, date: { type: 'string' }, root: { type: 'string' } },
  });
  const root = values.root ?? repositoryRoot;
  if (values['check-tag'] !== undefined) {
    console.log(`release: tag ${values['check-tag']} names version ${checkTag(root, values['check-tag'])} everywhere`);
  } else if (values.check) {
    console.log(`release: every place holds version ${currentVersion(root)}`);
  } else if (positionals.length === 1) {
    const date = values.date ?? new Date().toISOString().slice(0, 10);
    const { from, to } = release(root, positionals[0], date);
    console.log(
      `release: ${from} → ${to} (CHANGELOG.md entry dated ${date}). Next:\n` +
        `  npm test && git commit -am "Release ${to}" && git tag -a v${to} -m "Release ${to}" && git push --follow-tags`,
    );
  } else {
    throw new Error('usage: npm run release -- <version> [--date YYYY-MM-DD]   (or --check, --check-tag v<version>)');
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  try {
    main();
  } catch (error) {
    console.error(`release: ${error instanceof Error ? error.message : error}`);
    process.exitCode = 1;
  }
}
