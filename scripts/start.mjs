#!/usr/bin/env node
// `npm start`: one command that gives a team the API and its reference. It builds only what is missing or
// out of date, saying what and why —
//   generated/            when the contract under openapi/ changed        (npm run generate)
//   dist/                 when src/ or generated/schema.ts changed        (npm run build)
//   dist/docs/index.html  when the bundled contract or the template did   (npm run docs)
// — then starts the mock server in this process, serving the API, the docs at /docs and the bundled
// contract at /openapi.yaml, until Ctrl-C or SIGTERM.
//   node scripts/start.mjs [--port 4010] [--host 127.0.0.1] [--delay <ms|min-max>] [--api-key <key>]
//                          [--secret <base64>] [--quiet] [--build-only]
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { ensureCompiled, ensureDocs, ensureGenerated, root } from './freshness.mjs';

const usage = `Usage: npm start -- [options]
  --port <n>              port to listen on (default 4010; 0 = any free port)
  --host <address>        address to listen on (default 127.0.0.1)
  --delay <ms|min-max>    latency added before each answer, e.g. 200 or 100-400
  --api-key <key>         the test site's API key (default 3_socializeMockTestSite)
  --secret <base64>       the test site's partner secret (default: the documented test value)
  --quiet                 no line per request
  --build-only            build what is missing or out of date, then exit`;

/** The flag that sets each option of startMockServer. */
const flagOf = { port: '--port', host: '--host', apiKey: '--api-key', secret: '--secret', delay: '--delay' };

/** A bad command line: the message names the flag; exits 2 like the mock's own CLI. */
class UsageError extends Error {}

function parseFlags(argv) {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        delay: { type: 'string' },
        'api-key': { type: 'string' },
        secret: { type: 'string' },
        quiet: { type: 'boolean' },
        'build-only': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    throw new UsageError(error.message);
  }
  const options = {};
  if (values.port !== undefined) {
    const port = Number(values.port);
    if (!/^\d+$/.test(values.port) || port > 65535) {
      throw new UsageError(`--port must be a whole number from 0 to 65535 (got "${values.port}")`);
    }
    options.port = port;
  }
  if (values.host !== undefined) {
    if (values.host.trim() === '') throw new UsageError('--host must not be empty');
    options.host = values.host;
  }
  if (values.delay !== undefined) {
    const match = /^(\d+)(?:-(\d+))?$/.exec(values.delay);
    if (!match) throw new UsageError(`--delay must be milliseconds or a range such as 100-400 (got "${values.delay}")`);
    const min = Number(match[1]);
    const max = match[2] === undefined ? undefined : Number(match[2]);
    if (max !== undefined && max < min) throw new UsageError(`--delay range must run from low to high (got "${values.delay}")`);
    options.delay = max === undefined ? min : [min, max];
  }
  if (values['api-key'] !== undefined) {
    if (values['api-key'].trim() === '') throw new UsageError('--api-key must not be empty');
    options.apiKey = values['api-key'];
  }
  // The mock checks the secret itself (standard Base64), without echoing it.
  if (values.secret !== undefined) options.secret = values.secret;
  return { options, quiet: values.quiet === true, buildOnly: values['build-only'] === true, help: values.help === true };
}

/** Builds what is missing or out of date, each with a line saying why. Returns what it built. */
function buildWhatIsStale() {
  const built = [];
  if (!existsSync(join(root, 'node_modules', 'typescript')) || !existsSync(join(root, 'node_modules', '@redocly', 'cli'))) {
    throw new Error('node_modules is missing or incomplete: run `npm ci` first.');
  }
  if (ensureGenerated()) built.push('generated/');

  if (ensureCompiled()) built.push('packages/*/dist/');

  if (ensureDocs()) built.push('dist/docs/index.html');
  return built;
}

async function main() {
  const { options, quiet, buildOnly, help } = parseFlags(process.argv.slice(2));
  if (help) {
    console.log(usage);
    return;
  }
  const built = buildWhatIsStale();
  if (buildOnly) {
    console.log(built.length === 0 ? 'start: everything is up to date' : `start: built ${built.join(', ')}`);
    return;
  }

  const docs = join(root, 'dist', 'docs', 'index.html');
  const { startMockServer, createRequestLog } = await import(pathToFileURL(join(root, 'packages', 'mock', 'dist', 'index.js')).href);
  let server;
  try {
    server = await startMockServer({ ...options, docs, ...(quiet ? {} : { log: createRequestLog() }) });
  } catch (error) {
    // The mock names the option it refuses (InvalidParameterError.parameter); name the flag instead.
    const flag = flagOf[error?.parameter];
    if (flag) throw new UsageError(`${flag}: ${error.message}`);
    if (error?.code === 'EADDRINUSE') {
      throw new Error(`${error.address ?? options.host ?? '127.0.0.1'}:${error.port ?? options.port ?? 4010} is in use: stop what runs there or pick another --port`);
    }
    throw error;
  }
  const ready = Math.round(performance.now());
  const url = server.url.replace(/\/$/, '');
  console.log(
    [
      '',
      `Mock server   ${url}   (listening ${ready} ms after start${built.length ? `; built ${built.join(', ')}` : ''})`,
      `Docs          ${url}/docs`,
      `Contract      ${url}/openapi.yaml`,
      `Test site     apiKey ${server.apiKey}`,
      // The default secret is a documented test value; one given with --secret is not echoed.
      options.secret === undefined
        ? `              secret ${server.secret}   (a public test value, not a real secret)`
        : '              secret the one given with --secret',
      `Scenarios     header "Prefer: example=<name>" or query "?__example=<name>" (names: see the docs)`,
      'Ctrl-C stops it.',
      '',
    ].join('\n'),
  );

  let stopping = false;
  const stop = async (signal) => {
    if (stopping) {
      console.error(`start: ${signal} again, exiting without waiting`);
      process.exit(1);
    }
    stopping = true;
    console.log(`start: ${signal}, closing the mock server`);
    const stuck = setTimeout(() => {
      console.error('start: the server did not close within 5 s, exiting');
      process.exit(1);
    }, 5_000);
    stuck.unref();
    try {
      await server.close();
    } catch (error) {
      console.error(`start: closing failed: ${error instanceof Error ? error.message : error}`);
      process.exit(1);
    }
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((error) => {
  if (error instanceof UsageError) {
    console.error(`start: ${error.message}\n\n${usage}`);
    process.exit(2);
  }
  // execFileSync has already shown the failing tool's output on the terminal.
  console.error(`start: ${error instanceof Error ? error.message : error}`);
  process.exit(1);
});
