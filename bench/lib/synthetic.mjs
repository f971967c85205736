// Synthetic contracts: the real contract with every operation copied so that it has `scale` times the
// operations (4 → 40 → 400), in a temporary folder laid out like the repository, so that the project's
// own scripts (generate, docs) and Redocly's config run on it unchanged.
import { cpSync, mkdtempSync, readdirSync, readFileSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { root } from './proc.mjs';

// Copy number i as letters only (a, b, ..., z, ba, bb, ...): operationIds must match /^socialize\.[a-z][a-zA-Z]+$/.
function letters(i) {
  let out = '';
  do {
    out = String.fromCharCode(97 + (i % 26)) + out;
    i = Math.floor(i / 26);
  } while (i > 0);
  return out;
}

/** Creates the contract at `scale` times the operations in a new temporary folder; returns its path and size. */
export function makeSyntheticRepo(scale) {
  if (!Number.isInteger(scale) || scale < 1) throw new TypeError('scale must be a positive integer.');
  const dir = mkdtempSync(join(tmpdir(), `socialize-bench-${scale}x-`));
  cpSync(join(root, 'openapi'), join(dir, 'openapi'), { recursive: true });
  cpSync(join(root, 'scripts'), join(dir, 'scripts'), { recursive: true });
  // The generator's JSON-pointer walker (scripts/client-limits.mjs imports it).
  cpSync(join(root, 'src', 'mock', 'json-pointer.mjs'), join(dir, 'src', 'mock', 'json-pointer.mjs'));
  cpSync(join(root, 'redocly.yaml'), join(dir, 'redocly.yaml'));
  symlinkSync(realpathSync(join(root, 'node_modules')), join(dir, 'node_modules'), 'dir');

  const pathsDir = join(dir, 'openapi', 'paths');
  const originals = readdirSync(pathsDir).filter((f) => /^socialize\..+\.yaml$/.test(f));
  const entries = [];
  for (let copy = 1; copy < scale; copy++) {
    const suffix = `X${letters(copy)}`;
    for (const file of originals) {
      const method = file.slice(0, -'.yaml'.length);
      const text = readFileSync(join(pathsDir, file), 'utf8').replace(
        /operationId: (socialize\.[A-Za-z]+)/g,
        (_, id) => `operationId: ${id}${suffix}`,
      );
      writeFileSync(join(pathsDir, `${method}${suffix}.yaml`), text);
      entries.push(`  /${method}${suffix}:\n    $ref: paths/${method}${suffix}.yaml\n`);
    }
  }
  const rootFile = join(dir, 'openapi', 'openapi.yaml');
  const contract = readFileSync(rootFile, 'utf8');
  if (!/^paths:\n/m.test(contract)) throw new Error('openapi/openapi.yaml has no top-level "paths:" line to extend');
  writeFileSync(rootFile, contract.replace(/^paths:\n/m, `paths:\n${entries.join('')}`));
  return { dir, operations: originals.length * scale };
}
