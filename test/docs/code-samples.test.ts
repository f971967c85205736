// The code samples the docs show beside each operation (openapi/code_samples/) are what readers paste first,
// so each one runs here, as written, against the real mock on a free port: the curl samples with bash and
// curl, the TypeScript samples through the client's source. The only change made to a sample is its base
// URL, http://127.0.0.1:4010 (what `npm start` serves), rewritten to this test's mock.
import { execFile } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { parse } from 'yaml';
import { parseLoginRedirect, validateUIDSignature } from '../../src/index.js';
import { startMockServer, type MockServer } from '../../src/mock/index.js';
import { deref } from '../../src/mock/json-pointer.mjs';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../../', import.meta.url));
const samples = join(root, 'openapi', 'code_samples');
const documentedUrl = 'http://127.0.0.1:4010';
const curlSamples = readdirSync(join(samples, 'curl'))
  .filter((name) => name.endsWith('.sh'))
  .sort();
const typeScriptSamples = readdirSync(join(samples, 'TypeScript'))
  .filter((name) => name.endsWith('.ts'))
  .sort();
// Rewritten TypeScript samples are imported from here (inside the project, so that the vitest alias maps
// 'gigya-socialize-contract' to src/index.ts as tsconfig's paths do for the typecheck).
const rewritten = join(root, 'test-results', 'code-samples');

let mock: MockServer;

interface CodeSample {
  lang: string;
  label?: string;
  source: string;
}

/** The sample's text with the documented base URL replaced by this test's mock; fails if it has none. */
function pointedAtMock(file: string): string {
  const text = readFileSync(file, 'utf8');
  expect(text, `${file} addresses the mock at ${documentedUrl}`).toContain(documentedUrl);
  return text.replaceAll(documentedUrl, mock.url.replace(/\/$/, ''));
}

/** The values a curl sample sends with --data-urlencode name=value. */
function sentFields(script: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const [, name, value] of script.matchAll(/--data-urlencode\s+["']?([A-Za-z_]+)=([^\s"']+)/g)) fields.set(name!, value!);
  return fields;
}

/** Gigya's success envelope, as every method but login answers. */
function expectSuccessEnvelope(answer: Record<string, unknown>): void {
  expect(answer).toMatchObject({ errorCode: 0, statusCode: 200, statusReason: 'OK' });
  expect(answer.callId).toMatch(/^[0-9a-f]{32}$/);
  expect(Number.isNaN(Date.parse(String(answer.time))), `time "${answer.time}" is a date`).toBe(false);
}

beforeAll(async () => {
  try {
    await run('curl', ['--version']);
  } catch {
    throw new Error('curl is missing: the curl code samples need it. Install it as root with `apt-get install -y curl` (.ci/run does).');
  }
  // The samples use the mock's default test site (API key and partner secret), so the mock runs with its defaults.
  mock = await startMockServer({ port: 0 });
  rmSync(rewritten, { recursive: true, force: true });
  mkdirSync(rewritten, { recursive: true });
});

afterAll(async () => {
  await mock?.close();
});

describe('the samples the docs show', () => {
  const contract = parse(readFileSync(join(root, 'generated', 'openapi.yaml'), 'utf8'));
  const operations = Object.values<Record<string, { operationId?: string; 'x-codeSamples'?: CodeSample[] }>>(contract.paths)
    .flatMap((item) => Object.values(item))
    // The mock's own controls (mock.*) are not Gigya's methods: they have no samples to paste.
    .filter((operation) => typeof operation?.operationId === 'string' && !operation.operationId.startsWith('mock.'));

  test('every operation of the contract has a curl and a TypeScript sample, and no sample is left over', () => {
    const ids = operations.map((operation) => operation.operationId!).sort();
    expect(ids.length).toBeGreaterThanOrEqual(4);
    expect(curlSamples).toEqual(ids.map((id) => `${id}.sh`));
    expect(typeScriptSamples).toEqual(ids.map((id) => `${id}.ts`));
  });

  test.each(operations.map((operation) => [operation.operationId!, operation['x-codeSamples']] as const))(
    '%s shows exactly the sample files that run below (x-codeSamples)',
    (operationId, codeSamples) => {
      const shown = new Map((codeSamples ?? []).map((sample) => [sample.lang, sample.source]));
      expect(shown.get('curl')).toBe(readFileSync(join(samples, 'curl', `${operationId}.sh`), 'utf8'));
      expect(shown.get('TypeScript')).toBe(readFileSync(join(samples, 'TypeScript', `${operationId}.ts`), 'utf8'));
    },
  );
});

describe('curl samples, run with bash', () => {
  test.each(curlSamples)('%s', async (name) => {
    const script = pointedAtMock(join(samples, 'curl', name));
    const { stdout } = await run('bash', ['-e', '-o', 'pipefail', '-c', script], { timeout: 15_000 });

    if (name === 'socialize.login.sh') {
      // The sample prints where the mock redirects the browser: the site's redirect_uri carrying the signed
      // login result and the sample's state.
      const sent = sentFields(script);
      const redirectUri = sent.get('redirect_uri');
      const state = sent.get('state');
      expect(redirectUri && state, 'the login sample sends redirect_uri and state').toBeTruthy();
      const location = stdout.trim();
      expect(location.startsWith(redirectUri!), `"${location}" goes to ${redirectUri}`).toBe(true);
      const result = await parseLoginRedirect(location, { secret: mock.secret, state: state! });
      expect(result.UID).toEqual(expect.any(String));
      expect(result.UID!.length).toBeGreaterThan(0);
      return;
    }

    const answer = JSON.parse(stdout) as Record<string, unknown>;
    expectSuccessEnvelope(answer);
    if (name === 'socialize.notifyLogin.sh') {
      // A session for the site's cookie (flat or nested: sources disagree) and a UID signed with the test secret.
      const session = (answer.sessionInfo ?? answer) as Record<string, unknown>;
      expect(session.cookieName).toEqual(expect.any(String));
      expect(session.cookieValue).toEqual(expect.any(String));
      await expect(
        validateUIDSignature({
          secret: mock.secret,
          UID: String(answer.UID),
          UIDSignature: String(answer.UIDSignature),
          signatureTimestamp: String(answer.signatureTimestamp),
        }),
      ).resolves.toBe(true);
    }
  });
});

describe('curl commands in the README and the introduction, run with bash', () => {
  // Every ```sh block of these pages that calls the mock with curl; a block that asks for a scenario
  // (?__example=<name> or Prefer: example=<name>) must get that example's errorCode, any other errorCode 0.
  const contract = parse(readFileSync(join(root, 'generated', 'openapi.yaml'), 'utf8'));
  const commands = ['README.md', 'openapi/introduction.md'].flatMap((page) =>
    [...readFileSync(join(root, page), 'utf8').matchAll(/^( *)```(?:sh|bash|shell)\n([\s\S]*?)^ *```$/gm)]
      .map((match) => match[2]!.replace(new RegExp(`^${match[1]}`, 'gm'), ''))
      // Only blocks made of curl commands: never a block that runs anything else (npm ci, npm start, ...).
      .filter((block) => /^curl\s/.test(block) && block.includes(documentedUrl))
      .map((block, index) => [`${page} #${index + 1}`, block] as const),
  );

  test('the README and the introduction each show at least one', () => {
    expect(commands.map(([where]) => where.split(' ')[0])).toEqual(expect.arrayContaining(['README.md', 'openapi/introduction.md']));
  });

  test.each(commands)('%s', async (_where, block) => {
    const script = block.replaceAll(documentedUrl, mock.url.replace(/\/$/, ''));
    const { stdout } = await run('bash', ['-e', '-o', 'pipefail', '-c', script], { timeout: 15_000 });
    const answer = JSON.parse(stdout) as Record<string, unknown>;
    const scenario = /(?:__example=|Prefer: *example=)([A-Za-z0-9_-]+)/.exec(block)?.[1];
    if (scenario === undefined) {
      expectSuccessEnvelope(answer);
      return;
    }
    const path = /127\.0\.0\.1:4010(\/socialize\.[A-Za-z]+)/.exec(block)![1]!;
    type Example = { value?: { errorCode: number }; $ref?: string };
    const examples = Object.values<{ responses?: Record<string, { content?: Record<string, { examples?: Record<string, Example> }> }> }>(
      contract.paths[path],
    ).flatMap((operation) => Object.values(operation.responses?.['200']?.content ?? {}).map((media) => media.examples ?? {}));
    let example = examples.find((named) => scenario in named)?.[scenario];
    expect(example, `${path} has an example named ${scenario}`).toBeDefined();
    // Bundled examples point at components/examples/<Name>.
    example = deref<Example>(contract, example);
    expect(answer.errorCode).toBe(example!.value!.errorCode);
    expect(answer.callId).toMatch(/^[0-9a-f]{32}$/);
  });
});

describe('TypeScript samples, run through the client source', () => {
  test.each(typeScriptSamples)('%s', async (name) => {
    const copy = join(rewritten, name);
    writeFileSync(copy, pointedAtMock(join(samples, 'TypeScript', name)));
    const logged = vi.spyOn(console, 'log').mockImplementation(() => {});
    const failed = vi.spyOn(console, 'error').mockImplementation(() => {});

    // Importing runs the sample; a GigyaError or any other failure rejects the import.
    const sample = (await import(pathToFileURL(copy).href)) as Record<string, unknown>;
    expect(failed.mock.calls, 'console.error calls').toEqual([]);

    if (typeof sample.onLoginRedirect === 'function') {
      // The login sample exports the URL to send the browser to and the handler for where it comes back.
      const loginUrl = String(sample.loginUrl);
      expect(loginUrl.startsWith(`${mock.url.replace(/\/$/, '')}/socialize.login?`), loginUrl).toBe(true);
      const answer = await fetch(loginUrl, { redirect: 'manual' });
      expect([302, 303]).toContain(answer.status);
      const location = answer.headers.get('location');
      expect(location, 'the redirect has a Location').toBeTruthy();
      const uid = await (sample.onLoginRedirect as (arrivedAt: string) => Promise<string>)(location!);
      expect(uid).toEqual(expect.any(String));
      expect(uid.length).toBeGreaterThan(0);
      return;
    }

    // The other samples print what they got; nothing they print may be missing.
    const lines = logged.mock.calls.map((call) => call.join(' '));
    expect(lines.length, 'the sample printed its result').toBeGreaterThan(0);
    for (const line of lines) expect(line).not.toMatch(/undefined|null|NaN/);
    if (name === 'socialize.notifyLogin.ts') expect(lines.join('\n')).toMatch(/^Set-Cookie: [^\s=]+=\S+$/m);
    else expect(lines.join('\n')).toMatch(/callId [0-9a-f]{32}/);
  });
});
