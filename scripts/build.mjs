#!/usr/bin/env node
// Builds the two packages of this workspace from the sources at the root:
//   packages/contract/  dist/ (src/*.ts and generated/*.ts, compiled), openapi.yaml (the bundled
//                       contract, copied from generated/), LICENSE
//   packages/mock/      dist/ (src/mock/, compiled against the built contract package), LICENSE, and with
//                       --package mock (its prepack) docs/: index.html, the reference page it serves at
//                       /docs, and the Redoc bundle the page loads (scripts/docs-files.mjs)
//   node scripts/build.mjs [--package contract|mock]
// The contract is compiled first: the mock imports it by package name through the workspace link.
// The test of the packed packages calls buildPackage() with `into` a staging folder, so that it packs what
// prepack builds without touching packages/*/dist, which other tests run.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { docsFiles } from './docs-files.mjs';
import { ensureDocs, root } from './freshness.mjs';

const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');

/** What each package is built from, besides its package.json and README.md. */
const PACKAGES = {
  contract: { tsconfig: 'tsconfig.contract.json', files: [['generated/openapi.yaml', 'openapi.yaml', '`npm run generate`']] },
  // The stand-in gigya.js is served to browsers as written, not compiled: copied beside its route module.
  // json-pointer.mjs is plain JavaScript (scripts/ import it too) with its types beside it: both copied.
  mock: {
    tsconfig: 'tsconfig.mock.json',
    files: [
      ['src/mock/web-sdk/gigya.js', 'dist/web-sdk/gigya.js', 'git checkout src/mock/web-sdk/gigya.js'],
      ['src/mock/json-pointer.mjs', 'dist/json-pointer.mjs', 'git checkout src/mock/json-pointer.mjs'],
      ['src/mock/json-pointer.d.mts', 'dist/json-pointer.d.mts', 'git checkout src/mock/json-pointer.d.mts'],
    ],
    docs: ['dist/docs', 'docs'],
  },
};

/** Copies `from` (relative to the root) to `to`, naming the command that makes a missing source. */
function copy(from, to, makeIt) {
  const source = join(root, from);
  if (!existsSync(source)) throw new Error(`build: ${from} is missing: run ${makeIt} first.`);
  mkdirSync(join(to, '..'), { recursive: true });
  copyFileSync(source, to);
}

/**
 * Builds package `name` ('contract' or 'mock') into `into` (default packages/<name>): compiles its dist/,
 * copies LICENSE and its data files, and with `docs` the mock's reference page (built first when stale).
 * Into another folder it also copies package.json and README.md, so that folder can be packed.
 */
export function buildPackage(name, { into = join(root, 'packages', name), docs = false } = {}) {
  const spec = PACKAGES[name];
  rmSync(join(into, 'dist'), { recursive: true, force: true });
  execFileSync(process.execPath, [tsc, '-p', spec.tsconfig, '--outDir', join(into, 'dist')], { cwd: root, stdio: 'inherit' });
  const files = [...spec.files, ['LICENSE', 'LICENSE', 'git checkout LICENSE']];
  if (into !== join(root, 'packages', name)) {
    files.push([`packages/${name}/package.json`, 'package.json', 'git checkout'], [`packages/${name}/README.md`, 'README.md', 'git checkout']);
  }
  if (docs && spec.docs) {
    ensureDocs((line) => console.log(`build: ${line}`));
    const [from, to] = spec.docs;
    rmSync(join(into, to), { recursive: true, force: true }); // no bundle of an older page stays behind
    for (const name of docsFiles(join(root, from))) files.push([`${from}/${name}`, `${to}/${name}`, '`npm run docs`']);
  }
  for (const [from, to, makeIt] of files) copy(from, join(into, to), makeIt);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { values } = parseArgs({ options: { package: { type: 'string' } } });
  if (values.package !== undefined && !Object.hasOwn(PACKAGES, values.package)) {
    console.error(`build: --package must be contract or mock, not ${JSON.stringify(values.package)}.`);
    process.exit(2);
  }
  // The mock always compiles against a built contract package.
  buildPackage('contract');
  if (values.package !== 'contract') buildPackage('mock', { docs: values.package === 'mock' });
}
