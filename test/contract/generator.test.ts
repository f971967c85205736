// One generator configuration: redocly.yaml's x-openapi-ts. scripts/generate.mjs reads its options; here
// the plain openapi-typescript CLI, given the same settings as flags, must produce the committed
// generated/schema.ts byte for byte (its --check exits 1 on any difference, without writing).
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';
// @ts-expect-error a plain ES module of the build tooling, without types
import { openapiTsSettings } from '../../scripts/openapi-ts-options.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));

test('npx openapi-typescript with redocly.yaml settings reproduces generated/schema.ts', async () => {
  const { flags, output } = openapiTsSettings() as { flags: string[]; output: string };
  expect(output).toBe('generated/schema.ts');
  const outcome = await new Promise<{ code: number; out: string }>((resolve) => {
    execFile(`${root}node_modules/.bin/openapi-typescript`, [...flags, '--check'], { cwd: root, timeout: 120_000 }, (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code ?? 1) : 0, out: stdout + stderr }),
    );
  });
  expect(outcome, `openapi-typescript ${flags.join(' ')} --check`).toEqual({ code: 0, out: expect.any(String) });
}, 120_000);
