#!/usr/bin/env node
/// <reference types="node" />
// socialize-mock: the mock server from the command line. Prints its URL and the test site's credentials
// (public test values, printed on purpose), logs one line per request unless --quiet, and stops cleanly
// on Ctrl-C or SIGTERM. A bad flag value exits with status 2 and a message naming the flag.
import { parseArgs } from 'node:util';
import { InvalidParameterError } from 'gigya-socialize-contract';
import { DEFAULT_API_KEY, DEFAULT_SECRET, defaultDocsPath, startMockServer, type MockServerOptions } from './index.js';
import { createRequestLog } from './request-log.js';

const USAGE = `Usage: socialize-mock [options]

Serves Gigya's socialize.setUID, notifyRegistration, notifyLogin and login from the bundled contract.

  --port <n>             port to listen on (default 4010; 0 = any free port)
  --host <h>             address to listen on (default 127.0.0.1)
  --api-key <key>        the test site's API key (default ${DEFAULT_API_KEY})
  --secret <base64>      the test site's partner secret (default: a public test value, printed at start)
  --delay <ms|min-max>   latency added to each answer, fixed or a range such as 100-400
  --contract <file>      bundled contract to serve (default: the one gigya-socialize-contract ships)
  --docs <file>          built docs HTML to serve at /docs (default: the page this package ships)
  --prism-only           send every request through Prism's engine (no fast path)
  --quiet                no line per request
  --help                 this text
`;

// Which option each flag sets, so that errors from startMockServer name the flag.
const FLAG_OF: Record<string, string> = {
  port: '--port',
  host: '--host',
  apiKey: '--api-key',
  secret: '--secret',
  delay: '--delay',
  contract: '--contract',
  docs: '--docs',
};

class UsageError extends Error {}

function parseDelay(text: string): number | [number, number] {
  const match = /^(\d{1,5})(?:-(\d{1,5}))?$/.exec(text);
  if (!match) throw new UsageError('--delay must be milliseconds (such as 200) or a range (such as 100-400).');
  const min = Number(match[1]);
  if (match[2] === undefined) return min;
  const max = Number(match[2]);
  if (min > max) throw new UsageError('--delay range must be min-max with min ≤ max.');
  return [min, max];
}

function parsePort(text: string): number {
  if (!/^\d{1,5}$/.test(text) || Number(text) > 65535) throw new UsageError('--port must be a whole number from 0 to 65535.');
  return Number(text);
}

function options(argv: string[]): { options: MockServerOptions; quiet: boolean } | 'help' {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        'api-key': { type: 'string' },
        secret: { type: 'string' },
        delay: { type: 'string' },
        contract: { type: 'string' },
        docs: { type: 'string' },
        'prism-only': { type: 'boolean' },
        quiet: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const v = parsed.values;
  if (v.help) return 'help';
  const result: MockServerOptions = {};
  if (v.port !== undefined) result.port = parsePort(v.port);
  if (v.host !== undefined) result.host = v.host;
  if (v['api-key'] !== undefined) result.apiKey = v['api-key'];
  if (v.secret !== undefined) result.secret = v.secret;
  if (v.delay !== undefined) result.delay = parseDelay(v.delay);
  if (v.contract !== undefined) result.contract = v.contract;
  const docs = v.docs ?? defaultDocsPath();
  if (docs !== undefined) result.docs = docs;
  if (v['prism-only']) result.prismOnly = true;
  return { options: result, quiet: v.quiet === true };
}

async function main(): Promise<void> {
  let parsed;
  try {
    parsed = options(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`socialize-mock: ${(error as Error).message}\n\n${USAGE}`);
    process.exit(2);
  }
  if (parsed === 'help') {
    process.stdout.write(USAGE);
    return;
  }
  const { options: serverOptions, quiet } = parsed;
  if (!quiet) serverOptions.log = createRequestLog();

  let server;
  try {
    server = await startMockServer(serverOptions);
  } catch (error) {
    if (error instanceof InvalidParameterError) {
      const flag = FLAG_OF[error.parameter] ?? error.parameter;
      process.stderr.write(`socialize-mock: ${flag} ${error.message.slice(error.parameter.length + 1)}\n`);
      process.exit(2);
    }
    const code = (error as NodeJS.ErrnoException).code;
    const message = code === 'EADDRINUSE' ? `port ${serverOptions.port ?? 4010} is already in use (try --port 0)` : (error as Error).message;
    process.stderr.write(`socialize-mock: cannot start: ${message}\n`);
    process.exit(1);
  }

  const lines = [
    `socialize mock listening on ${server.url}`,
    `  test site   apiKey ${server.apiKey}`,
    `              secret ${server.secret}  (a public test value)`,
    `  contract    ${server.url}/openapi.yaml`,
  ];
  if (serverOptions.docs !== undefined) lines.push(`  docs        ${server.url}/docs`);
  if (serverOptions.delay !== undefined) {
    const d = serverOptions.delay;
    lines.push(`  latency     ${Array.isArray(d) ? `${d[0]}-${d[1]}` : d} ms per answer`);
  }
  if (serverOptions.prismOnly) lines.push('  mode        --prism-only: every request through Prism');
  lines.push('  scenarios   Prefer: example=<name> or ?__example=<name>; Ctrl-C stops');
  process.stdout.write(lines.join('\n') + '\n');

  server.ready.catch((error: unknown) => {
    process.stderr.write(`socialize-mock: Prism's engine did not load: ${(error as Error).message}\n`);
    process.exit(1);
  });

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) process.exit(1);
    stopping = true;
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`socialize-mock: error while stopping on ${signal}: ${(error as Error).message}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

void main();
