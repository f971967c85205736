// The two packages as users get them. Each is built into a staging folder with the build script its
// prepack runs (scripts/build.mjs), packed with `npm pack`, checked with publint and @arethetypeswrong/cli,
// and installed from its tarball into fresh projects under a temporary folder, with nothing linked in from
// this repository: TypeScript, Node's types and vitest come from the registry (the npm cache first) as a
// user's would. There a strict consumer that uses every public export compiles (NodeNext and Bundler,
// skipLibCheck off), `npx socialize-mock` answers a call from the installed client, and a vitest test
// imports the mock as the README shows. Every step that fails throws with its own output.
import { execFile, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
// @ts-expect-error a plain ES module of the build tooling, without types
import { buildPackage } from '../../scripts/build.mjs';
import { docsFiles, pageScripts } from '../../scripts/docs-files.mjs';

const root = join(import.meta.dirname, '..', '..');
const bin = (name: string) => join(root, 'node_modules', '.bin', name);
const env = { ...process.env, npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false' };
const devVersion = (name: string): string => JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).devDependencies[name];

/** Runs a command; on failure throws an error that names the step and carries its whole output. */
async function step(name: string, command: string, args: string[], cwd: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { cwd, env, maxBuffer: 64 * 1024 * 1024, timeout: 300_000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${name} failed (${command} ${args.join(' ')}): ${error.message}\n${stdout}\n${stderr}`));
      else resolve(stdout);
    });
  });
}

type Packed = { dir: string; tarball: string; files: string[] };
const packed: Record<'contract' | 'mock', Packed> = {} as never;
let work: string;

async function stageAndPack(name: 'contract' | 'mock'): Promise<Packed> {
  const dir = join(work, `stage-${name}`);
  buildPackage(name, { into: dir, docs: true });
  const out = await step(`npm pack (${name})`, 'npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work], dir);
  const [info] = JSON.parse(out) as Array<{ filename: string; files: Array<{ path: string }> }>;
  return { dir, tarball: join(work, info!.filename), files: info!.files.map((f) => f.path) };
}

/** Makes an empty ES-module project and installs `specs` into it the way a user does. */
async function freshProject(name: string, specs: string[]): Promise<string> {
  const dir = join(work, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name, private: true, type: 'module' }));
  // Cache first: `npm ci` caches tarballs, so a CI machine that ran it installs these without the network
  // unless the cache lacks a package's metadata, which then comes from the registry.
  await step(`npm install in ${name}`, 'npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts', ...specs], dir);
  return dir;
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'socialize-pack-'));
  packed.contract = await stageAndPack('contract');
  packed.mock = await stageAndPack('mock');
}, 300_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('npm pack', () => {
  const noSources = (files: string[]) =>
    files.filter((f) => /^(src|test|bench|openapi|scripts)\//.test(f) || (f.endsWith('.ts') && !f.endsWith('.d.ts')));

  test('gigya-socialize-contract ships the client, its types, the bundled contract and the licence', () => {
    const { files } = packed.contract;
    for (const path of [
      'package.json',
      'README.md',
      'LICENSE',
      'openapi.yaml',
      'dist/src/index.js',
      'dist/src/index.d.ts',
      'dist/generated/schema.d.ts',
    ]) {
      expect(files).toContain(path);
    }
    expect(files.filter((f) => f.includes('mock'))).toEqual([]);
    expect(noSources(files)).toEqual([]);
  });

  test('gigya-socialize-mock ships the server, its command, its docs page and the licence', () => {
    const { files } = packed.mock;
    const docs = docsFiles(join(root, 'dist', 'docs')).map((file) => `docs/${file}`); // the page and the Redoc bundle it loads
    expect(docs.length, 'the page loads its Redoc bundle').toBeGreaterThan(1);
    for (const path of ['package.json', 'README.md', 'LICENSE', 'dist/index.js', 'dist/index.d.ts', 'dist/cli.js', ...docs]) {
      expect(files).toContain(path);
    }
    expect(noSources(files)).toEqual([]);
  });

  test.each(['contract', 'mock'] as const)(
    'publint finds nothing in %s',
    async (name) => {
      const { publint } = await import('publint');
      const { messages } = await publint({ pkgDir: packed[name].dir, strict: true, pack: 'npm' });
      expect(messages).toEqual([]);
    },
    60_000,
  );

  test.each(['contract', 'mock'] as const)(
    '@arethetypeswrong/cli finds nothing in %s (ESM-only profile)',
    async (name) => {
      // Both packages are ESM only, so the profile leaves out require() and node10 resolution.
      const result = await new Promise<{ code: number; out: string }>((resolve) => {
        execFile(
          bin('attw'),
          [packed[name].tarball, '--profile', 'esm-only', '--no-definitely-typed', '--format', 'json', '--exclude-entrypoints', './openapi.yaml'],
          { cwd: work, env, maxBuffer: 32 * 1024 * 1024 },
          (error, stdout) => resolve({ code: error ? Number(error.code) : 0, out: stdout }),
        );
      });
      const report = JSON.parse(result.out) as { analysis: { problems: Array<{ resolutionKind: string }> } };
      expect(report.analysis.problems.filter((p) => p.resolutionKind !== 'node10' && p.resolutionKind !== 'node16-cjs')).toEqual([]);
      expect(result.code).toBe(0);
    },
    60_000,
  );
});

/** Every package a project's node_modules holds (scoped ones as @scope/name). */
function installedPackages(project: string): string[] {
  const top = join(project, 'node_modules');
  return readdirSync(top)
    .filter((name) => !name.startsWith('.'))
    .flatMap((name) => (name.startsWith('@') ? readdirSync(join(top, name)).map((inner) => `${name}/${inner}`) : [name]));
}

function sizeOnDisk(path: string): number {
  const stat = statSync(path);
  return stat.isDirectory() ? readdirSync(path).reduce((sum, name) => sum + sizeOnDisk(join(path, name)), 0) : stat.size;
}

describe('a client-only project installs gigya-socialize-contract', () => {
  let project: string;
  beforeAll(async () => {
    project = await freshProject('client-only', [packed.contract.tarball]);
  }, 300_000);

  test('and gets at most 3 packages, under 1 MB on disk, and no Prism', () => {
    const packages = installedPackages(project);
    expect(packages).toContain('gigya-socialize-contract');
    expect(packages.length).toBeLessThanOrEqual(3);
    expect(packages.filter((name) => name.startsWith('@stoplight'))).toEqual([]);
    expect(sizeOnDisk(join(project, 'node_modules'))).toBeLessThan(1_000_000);
  });

  test('and its public entry runs: a known-answer UIDSig', async () => {
    writeFileSync(
      join(project, 'run.mjs'),
      `import { createUIDSignature, validateUIDSignature } from 'gigya-socialize-contract';
const s = await createUIDSignature({ secret: 'AAECAwQFBgcICQoLDA0ODw==', siteUID: 'site-user-42', timestamp: 1700000000 });
const valid = await validateUIDSignature({ secret: 'AAECAwQFBgcICQoLDA0ODw==', UID: 'site-user-42', UIDSignature: s.UIDSig, signatureTimestamp: s.UIDTimestamp, now: 1700000000 });
console.log(JSON.stringify({ ...s, valid }));`,
    );
    const out = await step('node run.mjs', process.execPath, ['run.mjs'], project);
    expect(JSON.parse(out)).toEqual({ UIDSig: 'jNQkbuGO6L9nVa0Nt9T6aPlosYQ=', UIDTimestamp: '1700000000', valid: true });
  }, 60_000);
});

// Uses every public export of both packages (the test below holds it to the packages' export lists).
const consumer = readFileSync(join(import.meta.dirname, 'consumer.ts'), 'utf8');

/**
 * The names each entry declaration file exports, values and types, as TypeScript sees them: one program for
 * all the files, so that Node's types and the libraries are read once.
 */
function exportedNames(declarationFiles: string[]): string[][] {
  const program = ts.createProgram(declarationFiles, {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    noEmit: true,
  });
  const checker = program.getTypeChecker();
  return declarationFiles.map((file) =>
    checker
      .getExportsOfModule(checker.getSymbolAtLocation(program.getSourceFile(file)!)!)
      .map((s) => s.getName())
      .sort(),
  );
}

describe('a project installs both tarballs', () => {
  let project: string;
  beforeAll(async () => {
    project = await freshProject('full', [
      `typescript@${devVersion('typescript')}`,
      `@types/node@${devVersion('@types/node')}`,
      `vitest@${devVersion('vitest')}`,
      packed.contract.tarball,
      packed.mock.tarball,
    ]);
    writeFileSync(join(project, 'consumer.ts'), consumer);
  }, 300_000);

  test('the consumer uses every public export of both packages', () => {
    const entries: Array<[string, string]> = [
      ['gigya-socialize-contract', 'dist/src/index.d.ts'],
      ['gigya-socialize-mock', 'dist/index.d.ts'],
    ];
    const exported = exportedNames(entries.map(([pkg, entry]) => join(project, 'node_modules', pkg, entry)));
    const unused = entries.flatMap(([pkg], i) =>
      exported[i]!.filter((name) => !new RegExp(`\\b${name}\\b`).test(consumer)).map((name) => `${pkg}: ${name}`),
    );
    expect(
      exported.map((names) => names.length > 0),
      'each entry exports something',
    ).toEqual([true, true]);
    expect(unused).toEqual([]);
    // A TypeScript program in process (Node's types included): past the 60 s default on a busy machine.
  }, 180_000);

  const configs: Array<[string, Record<string, unknown>]> = [
    ['NodeNext, Node types', { module: 'NodeNext', moduleResolution: 'NodeNext', lib: ['ES2022'], types: ['node'] }],
    ['Bundler, Node types', { module: 'ESNext', moduleResolution: 'Bundler', lib: ['ES2022'], types: ['node'] }],
  ];
  test.each(configs)(
    'a strict consumer compiles with skipLibCheck off: %s',
    async (_name, options) => {
      const config = {
        compilerOptions: { target: 'ES2022', strict: true, noEmit: true, skipLibCheck: false, exactOptionalPropertyTypes: true, ...options },
        files: ['consumer.ts'],
      };
      const file = `tsconfig.${String(options.moduleResolution)}.json`;
      writeFileSync(join(project, file), JSON.stringify(config));
      await step(`tsc -p ${file}`, process.execPath, [join(project, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', file], project);
    },
    120_000,
  );

  test('the client-only surface also compiles for the browser (DOM types, no Node types)', async () => {
    writeFileSync(
      join(project, 'browser.ts'),
      `import { createSocializeClient } from 'gigya-socialize-contract';
import type { Gigya } from 'gigya-socialize-contract/web-sdk';
export const client = createSocializeClient({ apiKey: '3_KEY', baseUrl: 'http://127.0.0.1:9' });
// The page types of the Web SDK, from the contract package alone.
export const login = (gigya: Gigya = window.gigya!) => gigya.socialize.login({ provider: 'facebook', callback: (r) => void r.UID });`,
    );
    const config = {
      compilerOptions: {
        target: 'ES2022',
        strict: true,
        noEmit: true,
        skipLibCheck: false,
        module: 'ESNext',
        moduleResolution: 'Bundler',
        lib: ['ES2022', 'DOM'],
        types: [],
      },
      files: ['browser.ts'],
    };
    writeFileSync(join(project, 'tsconfig.browser.json'), JSON.stringify(config));
    await step(
      'tsc -p tsconfig.browser.json',
      process.execPath,
      [join(project, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.browser.json'],
      project,
    );
  }, 120_000);

  test('npx socialize-mock --port 0 answers the installed client, and serves its docs', async () => {
    // In a process group of its own: npx runs the mock as its child, and a SIGTERM to npx alone left the
    // mock running after the test.
    const child = spawn('npx', ['--no-install', 'socialize-mock', '--port', '0'], {
      cwd: project,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let output = '';
    child.stderr.on('data', (chunk) => (output += chunk));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        const lines = createInterface({ input: child.stdout });
        lines.on('line', (line) => {
          output += `${line}\n`;
          const match = /listening on (http:\/\/\S+)/.exec(line);
          if (match) resolve(match[1]!);
        });
        child.on('exit', (code) => reject(new Error(`npx socialize-mock exited with ${code} before listening:\n${output}`)));
      });
      writeFileSync(
        join(project, 'call.mjs'),
        `import { createSocializeClient } from 'gigya-socialize-contract';
import { DEFAULT_API_KEY, DEFAULT_SECRET } from 'gigya-socialize-mock';
const client = createSocializeClient({ apiKey: DEFAULT_API_KEY, baseUrl: process.argv[2], credentials: { secret: DEFAULT_SECRET } });
const answer = await client.notifyLogin({ siteUID: 'site-user-42' });
console.log(JSON.stringify({ errorCode: answer.errorCode, UID: answer.UID }));`,
      );
      const answer = JSON.parse(await step('node call.mjs', process.execPath, ['call.mjs', url], project));
      expect(answer).toEqual({ errorCode: 0, UID: expect.any(String) });
      const docs = await fetch(`${url}/docs`);
      expect(docs.status).toBe(200);
      const page = await docs.text();
      expect(page).toContain('socialize.notifyLogin');
      // The scripts the page names resolve from /docs to the mock's root: served there, from the package.
      const scripts = pageScripts(page);
      expect(scripts.length).toBeGreaterThan(0);
      for (const name of scripts) {
        const script = await fetch(new URL(name, `${url}/docs`));
        expect(script.status, name).toBe(200);
        expect(script.headers.get('content-type')).toMatch(/^text\/javascript/);
        expect(await script.text()).toContain('hydrate');
      }
    } finally {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        process.kill(-child.pid!, 'SIGTERM'); // npx and the mock it started
        await exited;
      }
    }
  }, 120_000);

  test('a vitest suite starts the mock as the README shows', async () => {
    // The README's own test-suite example, as a reader copies it.
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const block = [...readme.matchAll(/^( *)```ts\n([\s\S]*?)^ *```$/gm)]
      .map((match) => match[2]!.replace(new RegExp(`^${match[1]}`, 'gm'), ''))
      .find((code) => code.includes("from 'gigya-socialize-mock'") && code.includes("from 'vitest'"));
    expect(block, 'README.md has a ts block that tests with vitest against gigya-socialize-mock').toBeDefined();
    writeFileSync(join(project, 'mock.test.ts'), block!);
    // vitest's own 5 s default per test is a verdict on the machine's speed (a busy CI machine took 16 s
    // to start the mock and answer); the bound here only stops a hang.
    const out = await step(
      'npx vitest run mock.test.ts',
      'npx',
      ['--no-install', 'vitest', 'run', 'mock.test.ts', '--testTimeout', '120000', '--hookTimeout', '120000'],
      project,
    );
    expect(out).toMatch(/1 passed/);
  }, 180_000);
});
