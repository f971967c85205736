#!/usr/bin/env node
// Regenerates everything under generated/ from the hand-written contract in openapi/:
//   generated/openapi.yaml  the bundled single-file contract (Redocly)
//   generated/schema.ts     TypeScript types for it (openapi-typescript)
//   generated/limits.ts     the lengths and patterns the client checks (scripts/client-limits.mjs)
// With --check it generates into a temporary folder instead and fails when generated/ differs,
// so that nobody can edit generated/ by hand or forget to regenerate after changing the contract.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, rmSync, existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import openapiTS, { astToString, COMMENT_HEADER } from 'openapi-typescript';
import { parse } from 'yaml';
import { clientLimits } from './client-limits.mjs';
import { openapiTsSettings } from './openapi-ts-options.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const check = process.argv.includes('--check');
const committed = join(root, 'generated');
const out = check ? mkdtempSync(join(tmpdir(), 'socialize-generated-')) : committed;
const files = ['openapi.yaml', 'schema.ts', 'limits.ts'];

try {
  mkdirSync(out, { recursive: true });
  const bundled = join(out, 'openapi.yaml');
  const redocly = join(root, 'node_modules', '.bin', 'redocly');
  try {
    execFileSync(redocly, ['bundle', 'socialize@v1', '-o', bundled], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
    });
  } catch (error) {
    process.stderr.write(String(error.stderr ?? error.message));
    throw new Error('redocly bundle failed: fix the contract under openapi/ (run `npm run lint:openapi`).');
  }

  const ast = await openapiTS(parse(readFileSync(bundled, 'utf8')), openapiTsSettings().options);
  writeFileSync(join(out, 'schema.ts'), COMMENT_HEADER + astToString(ast));
  writeFileSync(join(out, 'limits.ts'), clientLimits(parse(readFileSync(bundled, 'utf8'))));

  if (check) {
    const stale = files.filter((name) => {
      const mine = join(committed, name);
      return !existsSync(mine) || readFileSync(mine, 'utf8') !== readFileSync(join(out, name), 'utf8');
    });
    if (stale.length > 0) {
      console.error(
        `generated/ is out of date with the contract: ${stale.join(', ')} differ from what openapi/ produces now.\n` +
          'Run `npm run generate` and commit the result; never edit generated/ by hand.',
      );
      process.exitCode = 1;
    } else {
      console.log(`generated/ matches the contract (${files.join(', ')}).`);
    }
  } else {
    console.log(`wrote ${files.map((f) => relative(root, join(out, f))).join(', ')}`);
  }
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
} finally {
  if (check) rmSync(out, { recursive: true, force: true });
}
