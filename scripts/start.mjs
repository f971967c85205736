#!/usr/bin/env node
// `npm start`: one command that gives a team the API and its reference. It builds only what is missing or
// out of date, saying what and why —
//   generated/            when the contract under openapi/ changed        (npm run generate)
//   packages/*/dist/      when src/ or generated/ changed                 (npm run build)
//   dist/docs/index.html  when the bundled contract or the template did   (npm run docs)
// — then starts the mock server in this process, serving the API, the docs at /docs and the bundled
// contract at /openapi.yaml, until Ctrl-C or SIGTERM. The flags are the mock's own (`socialize-mock`):
// one parser (src/mock/cli-options.ts), loaded from packages/mock/dist/ once it is fresh, plus --build-only.
//   npm start -- [--port 4010] [--host 127.0.0.1] [--delay <ms|min-max>] [--api-key <key>] [--verbose] …
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ensureCompiled, ensureDocs, ensureGenerated, root } from './freshness.mjs';

const started = performance.now();

/** Builds generated/ and the packages when stale (each with a line saying why): the parser lives in packages/mock/dist/. */
function buildCode() {
  if (!existsSync(join(root, 'node_modules', 'typescript')) || !existsSync(join(root, 'node_modules', '@redocly', 'cli'))) {
    throw new Error('node_modules is missing or incomplete: run `npm ci` first.');
  }
  const built = [];
  if (ensureGenerated()) built.push('generated/');
  if (ensureCompiled()) built.push('packages/*/dist/');
  return built;
}

async function main(cli) {
  const line = cli.parseCommandLine(process.argv.slice(2), process.env, 'npm start');
  if (line.help) {
    process.stdout.write(cli.usage('npm start'));
    return;
  }
  const docs = join(root, 'dist', 'docs', 'index.html');
  const built = [...builtCode, ...(line.options.docs === undefined && ensureDocs() ? ['dist/docs/index.html'] : [])];
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
  cli = await import(pathToFileURL(join(root, 'packages', 'mock', 'dist', 'cli-options.js')).href);
} catch (error) {
  // execFileSync has already shown the failing tool's output on the terminal.
  console.error(`start: ${error instanceof Error ? error.message : error}`);
  process.exit(1);
}
main(cli).catch((error) => cli.exitWith(error, 'npm start'));
