// "Build only what is missing or out of date" for the build scripts (docs, start, mock, bench) and the
// tests' global setup: compares file times,
// except that a clean git checkout is trusted to hold a generated/ that matches openapi/.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { docsFiles } from './docs-files.mjs';

/** The repository root. */
export const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The newest modification time (ms) of the files and folders at these paths; missing paths count as 0. */
export function newestChange(...paths) {
  let newest = 0;
  for (const path of paths) {
    if (!existsSync(path)) continue;
    const stat = statSync(path);
    newest = Math.max(newest, stat.mtimeMs);
    if (stat.isDirectory()) newest = Math.max(newest, newestChange(...readdirSync(path).map((name) => join(path, name))));
  }
  return newest;
}

/**
 * The most recently changed file, and the most recently changed folder, at these paths (searched
 * recursively): { file, folder }, each { path, mtimeMs } or null. A folder's time changes when an entry is
 * added, renamed or deleted (editors that save by renaming touch it too); a file's when it is written.
 */
export function newestFile(...paths) {
  let file = null;
  let folder = null;
  for (const path of paths) {
    if (!existsSync(path)) continue;
    const stat = statSync(path);
    if (stat.isDirectory()) {
      if (!folder || stat.mtimeMs > folder.mtimeMs) folder = { path, mtimeMs: stat.mtimeMs };
      const inside = newestFile(...readdirSync(path).map((name) => join(path, name)));
      if (inside.file && (!file || inside.file.mtimeMs > file.mtimeMs)) file = inside.file;
      if (inside.folder && inside.folder.mtimeMs > folder.mtimeMs) folder = inside.folder;
    } else if (!file || stat.mtimeMs > file.mtimeMs) {
      file = { path, mtimeMs: stat.mtimeMs };
    }
  }
  return { file, folder };
}

/** True when `target` is missing or older than any of `sources`. */
export function outOfDate(target, sources) {
  return staleReason(target, sources) !== null;
}

/**
 * Why `target` needs building, in words ("dist/x.js is missing", "src/a.ts changed after dist/x.js was
 * built"), or null when it exists and is at least as new as every file under `sources`.
 */
export function staleReason(target, sources) {
  if (!existsSync(target)) return `${relative(root, target)} is missing`;
  const built = statSync(target).mtimeMs;
  const { file, folder } = newestFile(...sources);
  // Name the file that changed; a folder only when no file is newer (an entry was deleted or renamed).
  if (file && file.mtimeMs > built) return `${relative(root, file.path)} changed after ${relative(root, target)} was built`;
  if (folder && folder.mtimeMs > built) {
    return `${relative(root, folder.path) || '.'}/ changed (a file added, renamed or deleted) after ${relative(root, target)} was built`;
  }
  return null;
}

// A clean checkout has a consistent generated/ (CI's check:generated sees to that), whatever order the
// checkout wrote the files in; regenerating there would only rewrite files other processes may be reading.
function cleanCheckout(paths) {
  try {
    const changes = execFileSync('git', ['status', '--porcelain', '--', ...paths], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    return changes.length === 0;
  } catch {
    return false; // not a git checkout, or no git: fall back to file times
  }
}

/** Runs `npm run generate` when generated/ is missing or older than the contract. Returns whether it did. */
export function ensureGenerated() {
  const bundled = join(root, 'generated', 'openapi.yaml');
  const schema = join(root, 'generated', 'schema.ts');
  if (existsSync(bundled) && existsSync(schema) && cleanCheckout(['openapi', 'generated', 'redocly.yaml'])) return false;
  const sources = [join(root, 'openapi'), join(root, 'redocly.yaml')];
  const reason = staleReason(bundled, sources) ?? staleReason(schema, sources);
  if (reason === null) return false;
  console.log(`generated/: ${reason}: regenerating (npm run generate)`);
  execFileSync(process.execPath, [join(root, 'scripts', 'generate.mjs')], { cwd: root, stdio: 'inherit' });
  return true;
}

/**
 * Builds both packages (`npm run build`: packages/contract and packages/mock) when the mock's build is
 * missing or older than src/, generated/ or the tsconfigs, saying why through `log`. Returns whether it
 * built.
 */
export function ensureCompiled(log = console.log) {
  const entry = join(root, 'packages', 'mock', 'dist', 'index.js');
  const reason = staleReason(entry, [
    join(root, 'src'),
    join(root, 'generated'),
    join(root, 'LICENSE'),
    ...['tsconfig.json', 'tsconfig.contract.json', 'tsconfig.mock.json'].map((name) => join(root, name)),
  ]);
  if (reason === null) return false;
  log(`packages/*/dist: ${reason}: building (npm run build)`);
  execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { cwd: root, stdio: 'inherit' });
  if (!existsSync(entry)) throw new Error(`the build did not produce ${relative(root, entry)}: is src/mock/ there?`);
  return true;
}

/** Why the page in `dir` cannot be shown as it is: a script it loads is not beside it; null when all are. */
function missingScript(dir) {
  const missing = docsFiles(dir).find((name) => !existsSync(join(dir, name)));
  return missing === undefined ? null : `${relative(root, join(dir, missing))}, which the page loads, is missing`;
}

/**
 * Builds the docs page (`npm run docs`: dist/docs/index.html) when it is missing or older than the bundled
 * contract, the template, the docs script or redocly.yaml, saying why through `log`. Returns whether it did.
 */
export function ensureDocs(log = console.log) {
  const page = join(root, 'dist', 'docs', 'index.html');
  const reason = staleReason(page, [
    join(root, 'generated', 'openapi.yaml'),
    ...['docs-template.hbs', 'docs.mjs', 'docs-files.mjs'].map((name) => join(root, 'scripts', name)),
    join(root, 'redocly.yaml'),
  ]) ?? missingScript(dirname(page));
  if (reason === null) return false;
  log(`docs: ${reason}: building (npm run docs)`);
  execFileSync(process.execPath, [join(root, 'scripts', 'docs.mjs')], { cwd: root, stdio: 'inherit' });
  return true;
}
