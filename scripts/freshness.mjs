// "Build only what is missing or out of date" for the build scripts (docs, start): compares file times,
// except that a clean git checkout is trusted to hold a generated/ that matches openapi/.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

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

/** The most recently changed file or folder at these paths (searched recursively), or null when none exists. */
export function newestFile(...paths) {
  let newest = null;
  for (const path of paths) {
    if (!existsSync(path)) continue;
    const stat = statSync(path);
    if (!newest || stat.mtimeMs > newest.mtimeMs) newest = { path, mtimeMs: stat.mtimeMs };
    if (stat.isDirectory()) {
      const inside = newestFile(...readdirSync(path).map((name) => join(path, name)));
      if (inside && inside.mtimeMs > newest.mtimeMs) newest = inside;
    }
  }
  return newest;
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
  const newest = newestFile(...sources);
  if (!newest || newest.mtimeMs <= built) return null;
  return `${relative(root, newest.path) || '.'} changed after ${relative(root, target)} was built`;
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
