#!/usr/bin/env node
// `npm start`: one command that gives a team the API and its reference. It builds only what is missing or
// out of date, saying what and why —
//   generated/            when the contract under openapi/ changed        (npm run generate)
//   dist/                 when src/ or generated/schema.ts changed        (npm run build)
//   dist/docs/index.html  when the bundled contract or the template did   (npm run docs)
// — then starts the mock server in this process, serving the API, the docs at /docs and the bundled
// contract at /openapi.yaml, until Ctrl-C or SIGTERM. The flags are the mock's own (`socialize-mock`):
// one parser (src/mock/cli-options.ts), loaded from dist/ once dist/ is fresh, plus --build-only.
//   npm start -- [--port 4010] [--host 127.0.0.1] [--delay <ms|min-max>] [--api-key <key>] [--verbose] …
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ensureCompiled, ensureGenerated, root, staleReason } from './freshness.mjs';

const started = performance.now();

/** Runs a Node script of the project's toolchain in the foreground; its output goes to the terminal. */
function runNode(script, args) {
  execFileSync(process.execPath, [join(root, script), ...args], { cwd: root, stdio: 'inherit' });
}

/** Builds generated/ and dist/ when stale (each with a line saying why): the parser lives in dist/. */
function buildCode() {
  if (!existsSync(join(root, 'node_modules', 'typescript')) || !existsSync(join(root, 'node_modules', '@redocly', 'cli'))) {
    throw new Error('node_modules is missing or incomplete: run `npm ci` first.');
  }
  const built = [];
  if (ensureGenerated()) built.push('generated/');
  if (ensureCompiled()) built.push('dist/');
  return built;
}

/** Builds the docs page when stale. */
function buildDocs(docs) {
  const page = staleReason(docs, [
    join(root, 'generated', 'openapi.yaml'),
    join(root, 'scripts', 'docs-template.hbs'),
    join(root, 'scripts', 'docs.mjs'),
    join(root, 'redocly.yaml'),
  ]);
  if (page === null) return [];
  console.log(`docs: ${page}: building (npm run docs)`);
  runNode('scripts/docs.mjs', []);
  return ['dist/docs/index.html'];
}

async function main(cli) {
  const line = cli.parseCommandLine(process.argv.slice(2), process.env, 'npm start');
  if (line.help) {
    process.stdout.write(cli.usage('npm start'));
    return;
  }
  const docs = join(root, 'dist', 'docs', 'index.html');
  const built = [...builtCode, ...(line.options.docs === undefined ? buildDocs(docs) : [])];
  if (line.buildOnly) {
    console.log(built.length === 0 ? 'start: everything is up to date' : `start: built ${built.join(', ')}`);
    return;
  }
  line.options.docs ??= docs;
  const server = await cli.serve(line, 'npm start', started);
  if (built.length > 0) console.log(`(built ${built.join(', ')} first)`);
  return server;
}

let builtCode;
let cli;
try {
  builtCode = buildCode();
  cli = await import(pathToFileURL(join(root, 'dist', 'src', 'mock', 'cli-options.js')).href);
} catch (error) {
  // execFileSync has already shown the failing tool's output on the terminal.
  console.error(`start: ${error instanceof Error ? error.message : error}`);
  process.exit(1);
}
main(cli).catch((error) => cli.exitWith(error, 'npm start'));
