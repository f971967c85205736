// The README's TypeScript is the first code a reader copies, so every ```ts block in it must compile as it
// stands, with the project's strict settings, against the package's public entry (mapped to src/ by
// tsconfig.json's paths, as for the docs' code samples).
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import ts from 'typescript';
import { expect, test, vi } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
const readme = readFileSync(join(root, 'README.md'), 'utf8');
// Fenced blocks at any indentation (a block inside a list item is indented), dedented.
const blocks = [...readme.matchAll(/^( *)```(?:ts|typescript)\n([\s\S]*?)^ *```$/gm)].map((match) =>
  match[2]!.replace(new RegExp(`^${match[1]}`, 'gm'), ''),
);

test('the README has its client snippet, in about fifteen lines', () => {
  expect(blocks.length).toBeGreaterThan(0);
  expect(blocks[0]).toContain("from 'gigya-socialize-contract'");
  expect(blocks[0]!.trimEnd().split('\n').length).toBeLessThanOrEqual(20);
});

test('every TypeScript block of the README compiles under the project tsconfig', () => {
  // Written inside the project (test-results/ is ignored by git) so that the package's own "type": "module"
  // and node_modules/@types apply as they do to any file of the project.
  const dir = join(root, 'test-results', 'readme');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const files = blocks.map((code, index) => {
    const file = join(dir, `block-${index + 1}.ts`);
    writeFileSync(file, code);
    return file;
  });
  const config = ts.getParsedCommandLineOfConfigFile(join(root, 'tsconfig.json'), {}, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
      throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
    },
  })!;
  const program = ts.createProgram(files, { ...config.options, noEmit: true });
  // The blocks' own diagnostics and the program-wide ones (options, globals); the rest of the project is
  // `npm run typecheck`'s to check, and checking it here too took most of this test's time.
  const blockFiles = program.getSourceFiles().filter((source) => files.includes(source.fileName));
  expect(blockFiles.map((source) => source.fileName).sort()).toEqual([...files].sort());
  const problems = [
    ...program.getOptionsDiagnostics(),
    ...program.getGlobalDiagnostics(),
    ...blockFiles.flatMap((source) => [...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source)]),
  ]
    .map((diagnostic) => {
      const where = diagnostic.file
        ? `README ts block ${files.indexOf(diagnostic.file.fileName) + 1}, line ${diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start!).line + 1}: `
        : '';
      return where + ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n');
    });
  expect(problems).toEqual([]);
}, 60_000);

test('the README client example runs as written against the mock, and says what went wrong when it fails', async () => {
  const { startMockServer } = await import('gigya-socialize-mock');
  const mock = await startMockServer({ port: 0 });
  const logged: unknown[][] = [];
  const errors: unknown[][] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((...args) => void logged.push(args));
  const error = vi.spyOn(console, 'error').mockImplementation((...args) => void errors.push(args));
  const dir = join(root, 'test-results', 'readme-run');
  mkdirSync(dir, { recursive: true });
  try {
    // The block reads GIGYA_BASE_URL, as it tells a reader to set it; here it points at a mock on a free port.
    for (const [name, secret] of [['ok', undefined], ['wrong-secret', 'AAECAwQFBgcICQoLDA0ODw==']] as const) {
      vi.stubEnv('GIGYA_BASE_URL', mock.url);
      if (secret) vi.stubEnv('GIGYA_SECRET', secret);
      const file = join(dir, `${name}.ts`);
      writeFileSync(file, blocks[0]!);
      await import(/* @vite-ignore */ `${pathToFileURL(file).href}?run=${name}`);
      vi.unstubAllEnvs();
    }
  } finally {
    log.mockRestore();
    error.mockRestore();
    await mock.close();
  }
  // The first run logs the UID and the cookie name; the second, with a wrong secret, logs the error code and
  // errorDetails naming what is wrong, and a call ID.
  expect(logged).toEqual([[expect.any(String), expect.any(String)]]);
  expect(errors).toEqual([[403003, expect.stringMatching(/secret/i), expect.any(String)]]);
}, 60_000);
