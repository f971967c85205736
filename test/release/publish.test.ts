// A dry run of the release's `npm publish` for each package: built into a staging folder with the build its
// prepack runs (scripts/build.mjs, as test/package/pack.test.ts does, so packages/*/dist that other tests
// run from is left alone), then `npm publish --dry-run --json`, whose file list must be exactly what a user
// needs: the manifest, README, licence, the compiled entry points with their declarations and source maps
// (sources inlined), and the package's data (the bundled contract; the mock's docs page and any file in
// src/mock that is not TypeScript). The expected list
// is derived from the sources, so a new source file is expected in dist/ and nothing else may appear.
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
// @ts-expect-error a plain ES module of the build tooling, without types
import { buildPackage } from '../../scripts/build.mjs';
import { docsFiles } from '../../scripts/docs-files.mjs';
// @ts-expect-error a plain ES module of the build tooling, without types
import { currentVersion } from '../../scripts/release.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const env = { ...process.env, npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false' };
let work: string;

/** The files under `dir` (recursive), relative to `base`, that are (or are not) TypeScript sources. */
function sources(dir: string, base: string, typescript = true): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) === typescript)
    .map((entry) => relative(base, join(entry.parentPath, entry.name)));
}

/** What tsc emits for each source: the module, its declaration and its source map. */
const compiled = (outDir: string, files: string[]) =>
  files.flatMap((file) => ['.js', '.js.map', '.d.ts'].map((ext) => `${outDir}/${file.replace(/\.ts$/, ext)}`));

const expectedFiles = {
  // tsconfig.contract.json: rootDir is the repository, so src/*.ts and generated/*.ts keep their folders.
  contract: [
    'LICENSE', 'README.md', 'package.json', 'openapi.yaml',
    ...compiled('dist', sources(join(root, 'src'), root).filter((file) => file.split('/').length === 2)), // src/*.ts
    ...compiled('dist', readdirSync(join(root, 'generated')).filter((file) => file.endsWith('.ts')).map((file) => `generated/${file}`)),
  ],
  // tsconfig.mock.json: rootDir is src/mock. Anything else in src/mock is there to be served as written
  // (a browser script, say) and ships beside the compiled modules.
  mock: [
    'LICENSE', 'README.md', 'package.json',
    ...docsFiles(join(root, 'dist', 'docs')).map((file) => `docs/${file}`), // the page and the Redoc bundle it loads
    ...compiled('dist', sources(join(root, 'src', 'mock'), join(root, 'src', 'mock'))),
    ...sources(join(root, 'src', 'mock'), join(root, 'src', 'mock'), false).map((file) => `dist/${file}`),
  ],
};

interface DryRun {
  id: string;
  files: Array<{ path: string }>;
}
const dryRuns: Partial<Record<'contract' | 'mock', DryRun>> = {};

function publishDryRun(dir: string): Promise<DryRun> {
  return new Promise((resolve, reject) => {
    // --ignore-scripts: prepack's build has just run (buildPackage); the packed folder is the staging one.
    execFile('npm', ['publish', '--dry-run', '--json', '--ignore-scripts', '--access', 'public'], { cwd: dir, env, timeout: 180_000, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) return reject(new Error(`npm publish --dry-run failed in ${dir}: ${error.message}\n${stderr}`));
      const report = JSON.parse(stdout) as Record<string, DryRun> | DryRun;
      resolve('files' in report ? (report as DryRun) : Object.values(report)[0]!);
    });
  });
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'socialize-publish-'));
  for (const name of ['contract', 'mock'] as const) {
    const dir = join(work, name);
    buildPackage(name, { into: dir, docs: true });
    dryRuns[name] = await publishDryRun(dir);
  }
}, 300_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('npm publish --dry-run', () => {
  test.each(['contract', 'mock'] as const)('gigya-socialize-%s lists exactly the files a user needs', (name) => {
    const listed = dryRuns[name]!.files.map((file) => file.path).sort();
    expect(listed).toEqual([...expectedFiles[name]].sort());
  });

  test.each(['contract', 'mock'] as const)('gigya-socialize-%s is published at the one version', (name) => {
    expect(dryRuns[name]!.id).toBe(`gigya-socialize-${name}@${currentVersion(root)}`);
  });

  test('the mock’s published manifest asks for that contract version', () => {
    const manifest = JSON.parse(readFileSync(join(work, 'mock', 'package.json'), 'utf8'));
    expect(manifest.dependencies['gigya-socialize-contract']).toBe(currentVersion(root));
  });
});
