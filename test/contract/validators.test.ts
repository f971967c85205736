// The bundled contract as other tools read it: @apidevtools/swagger-parser (OpenAPI 3.1 schema and
// $ref validation) and Spectral's own OpenAPI ruleset (spectral:oas), run as their users run them.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import SwaggerParser from '@apidevtools/swagger-parser';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { parse } from 'yaml';

const root = fileURLToPath(new URL('../../', import.meta.url));
const bundled = join(root, 'generated', 'openapi.yaml');
const contract = parse(readFileSync(bundled, 'utf8'));
const scratch = mkdtempSync(join(tmpdir(), 'contract-validators-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

// Only a hang reaches this: on a busy 2-core machine one Spectral run over both documents has taken
// over two minutes.
const SPECTRAL_BOUND_MS = 300_000;

interface SpectralFinding {
  code: string;
  message: string;
  path: string[];
  severity: number;
  source: string;
}

/**
 * Runs the Spectral CLI once over every given file, with a ruleset that only extends spectral:oas;
 * resolves to each file's findings. One run for all: the CLI's start costs more than a document's lint.
 */
async function spectral(files: string[]): Promise<Map<string, SpectralFinding[]>> {
  const ruleset = join(scratch, '.spectral.yaml');
  writeFileSync(ruleset, 'extends: ["spectral:oas"]\n');
  const bin = join(root, 'node_modules', '.bin', 'spectral');
  const args = ['lint', ...files, '--ruleset', ruleset, '--format', 'json', '--quiet'];
  // Spectral exits 1 when it finds something at the fail severity: the findings are on stdout either way.
  const output = await promisify(execFile)(bin, args, { cwd: root, maxBuffer: 16 * 1024 * 1024, timeout: SPECTRAL_BOUND_MS }).catch(
    (error: { stdout?: string; stderr?: string; code?: number; signal?: string }) => {
      if (error.code === 1 && error.stdout) return { stdout: error.stdout };
      throw new Error(`spectral failed (${error.signal ? `killed by ${error.signal}` : `exit ${error.code}`}): ${error.stderr ?? error}`);
    },
  );
  const findings = output.stdout.trim() === '' ? [] : (JSON.parse(output.stdout) as SpectralFinding[]);
  const sources = new Set(findings.map((finding) => finding.source));
  const unknown = [...sources].filter((source) => !files.includes(source));
  if (unknown.length > 0) throw new Error(`spectral reported on files it was not given: ${unknown.join(', ')}`);
  return new Map(files.map((file) => [file, findings.filter((finding) => finding.source === file)]));
}

// Components that only the Web SDK hands over (x-web-sdk-only) are, by design, referenced by no HTTP
// operation: the one finding that is not a defect, and only for exactly those components.
function expectedUnused(finding: SpectralFinding): boolean {
  const [where, kind, name] = finding.path;
  return (
    finding.code === 'oas3-unused-component' && where === 'components' && kind === 'schemas' &&
    contract.components.schemas[name!]?.['x-web-sdk-only'] === true
  );
}

// A copy with two defects, one for each tool: a $ref to nothing and no info.contact.
function writeBrokenCopy(): string {
  const broken = structuredClone(contract);
  delete broken.info.contact;
  broken.paths['/socialize.setUID'].post.responses['200'].content['application/json'].schema.oneOf[0] = {
    $ref: '#/components/schemas/NoSuchSchema',
  };
  const file = join(scratch, 'broken.json');
  writeFileSync(file, JSON.stringify(broken));
  return file;
}
const broken = writeBrokenCopy();
let linted: Promise<Map<string, SpectralFinding[]>>;
beforeAll(() => {
  linted = spectral([bundled, broken]);
  // Awaited by the tests; a rejection before then is theirs to report, not an unhandled one.
  linted.catch(() => {});
});

describe('the bundled contract under other validators', () => {
  test('@apidevtools/swagger-parser validates it (OpenAPI 3.1 schema, every $ref resolves)', async () => {
    await expect(SwaggerParser.validate(bundled)).resolves.toBeDefined();
  });

  test("Spectral's spectral:oas ruleset finds nothing to warn about", async () => {
    const findings = (await linted).get(bundled)!;
    const unexpected = findings.filter((finding) => !expectedUnused(finding));
    expect(unexpected.map((f) => `${f.code} at ${f.path.join('.')}: ${f.message}`)).toEqual([]);
  }, SPECTRAL_BOUND_MS + 60_000);

  test('the two checks can fail: a broken copy is refused by both', async () => {
    await expect(SwaggerParser.validate(broken)).rejects.toThrow(/NoSuchSchema/);
    const codes = (await linted).get(broken)!.map((finding) => finding.code);
    expect(codes).toContain('info-contact');
  }, SPECTRAL_BOUND_MS + 60_000);
});
