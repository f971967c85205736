/// <reference types="node" />
// The mock's one command line, shared by `socialize-mock` (cli.ts) and `npm start` (scripts/start.mjs):
// the flags, their checks and wording, the start banner, and what a failed start says. Both programs
// parse the same way, so their flags cannot drift apart.
import { parseArgs } from 'node:util';
import { InvalidParameterError } from 'gigya-socialize-contract';
import { createRequestLog } from './request-log.js';
import { DEFAULT_API_KEY, DEFAULT_SECRET, DEFAULT_USER_SECRET, startMockServer, type MockServer, type MockServerOptions } from './index.js';

/** Environment variable that gives the partner secret without putting it on a command line. */
const SECRET_ENV = 'SOCIALIZE_MOCK_SECRET';
/** The same for the test site's user key secret. */
const USER_SECRET_ENV = 'SOCIALIZE_MOCK_USER_SECRET';

/** The two programs that start the mock from a command line. */
export type Program = 'socialize-mock' | 'npm start';

/** A command line that cannot be used: the message names the flag; the programs exit with status 2. */
class UsageError extends Error {
  override name = 'UsageError';
}

export interface CommandLine {
  /** startMockServer's options, as the flags set them (no log or warn: the program adds those). */
  options: MockServerOptions;
  quiet: boolean;
  verbose: boolean;
  help: boolean;
  /** `npm start -- --build-only`: build what is stale, then exit. */
  buildOnly: boolean;
  /** Where the partner secret came from; only the default one is ever printed. */
  secretFrom: 'default' | '--secret' | typeof SECRET_ENV;
  /** Where the user key secret came from; only the default one is ever printed. */
  userSecretFrom: 'default' | '--user-secret' | typeof USER_SECRET_ENV;
}

const FLAGS = {
  port: { type: 'string' },
  host: { type: 'string' },
  'api-key': { type: 'string' },
  secret: { type: 'string' },
  delay: { type: 'string' },
  'user-key': { type: 'string' },
  'user-secret': { type: 'string' },
  accounts: { type: 'string' },
  state: { type: 'string' },
  contract: { type: 'string' },
  docs: { type: 'string' },
  'trusted-domains': { type: 'string' },
  'idle-timeout': { type: 'string' },
  'prism-only': { type: 'boolean' },
  quiet: { type: 'boolean' },
  verbose: { type: 'boolean' },
  'build-only': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** The flag that sets each option of startMockServer, so that its errors can name the flag. */
const FLAG_OF: Record<string, string> = {
  port: '--port',
  host: '--host',
  apiKey: '--api-key',
  secret: '--secret',
  delay: '--delay',
  contract: '--contract',
  docs: '--docs',
  trustedDomains: '--trusted-domains',
  userKey: '--user-key',
  userSecret: '--user-secret',
  accounts: '--accounts',
  state: '--state',
  idleTimeout: '--idle-timeout',
};

/** The usage text of `program`. */
export function usage(program: Program): string {
  const npm = program === 'npm start';
  return `Usage: ${npm ? 'npm start -- [options]' : 'socialize-mock [options]'}

${npm ? 'Builds what is missing or stale, then serves' : 'Serves'} Gigya's socialize.setUID, notifyRegistration, notifyLogin and login from the bundled contract.

  --port <n>               port to listen on (default 4010; 0 = any free port)
  --host <address>         address to listen on (default 127.0.0.1)
  --api-key <key>          the test site's API key (default ${DEFAULT_API_KEY})
  --secret <base64>        the test site's partner secret (default: a public test value, printed at start);
                           better in the environment: ${SECRET_ENV}=<base64>. A given secret is never printed.
  --user-key <key>         the test site's user key (default: a public test value, printed at start)
  --user-secret <base64>   that user key's secret (default: a public test value, printed at start);
                           better in the environment: ${USER_SECRET_ENV}=<base64>. Never printed when given.
  --accounts <file>        the test site's starting accounts: a MockAccountList JSON fixture (default: the
                           contract's testSite example), checked at start
  --state <file>           keep every site and its accounts in this file across restarts (read and checked
                           at start, written atomically after each change); default: in memory only
  --delay <ms|min-max>     latency added to each answer, fixed or a range such as 100-400
  --contract <file>        bundled contract to serve (default: the package's generated/openapi.yaml)
  --docs <file>            built docs HTML to serve at /docs${npm ? ' (default: dist/docs/index.html, built when stale)' : ''}
  --trusted-domains <list> comma-separated domains socialize.login may redirect to (with subdomains;
                           loopback and .localhost always); default: any
  --idle-timeout <ms>      close a connection with nothing in flight after this long silent (default 10000)
  --prism-only             send every request through Prism's engine (no fast path)
  --quiet                  no line per request
  --verbose                add each error's errorDetails to its line${npm ? '\n  --build-only             build what is missing or stale, then exit' : ''}
  --help                   this text
`;
}

function parseDelay(text: string): number | [number, number] {
  const match = /^(\d{1,5})(?:-(\d{1,5}))?$/.exec(text);
  if (!match) throw new UsageError(`--delay must be milliseconds (such as 200) or a range (such as 100-400), not "${text.slice(0, 40)}".`);
  const min = Number(match[1]);
  if (match[2] === undefined) return min;
  const max = Number(match[2]);
  if (min > max) throw new UsageError('--delay range must be min-max with min ≤ max.');
  return [min, max];
}

function parsePort(text: string): number {
  if (!/^\d{1,5}$/.test(text) || Number(text) > 65535)
    throw new UsageError(`--port must be a whole number from 0 to 65535, not "${text.slice(0, 40)}".`);
  return Number(text);
}

/** The npm scripts that run the mock (`npm start`, `npm run mock`): npm prints their command line. */
const MOCK_SCRIPTS = new Set(['start', 'mock']);

/**
 * `npm start --port 4011` (without `--`) hands `--port` to npm, which keeps it as its own setting
 * (npm_config_port=true) and passes only `4011` on. Returns the explanation, or undefined.
 */
function forgottenDashes(argv: string[], env: NodeJS.ProcessEnv, program: Program): string | undefined {
  const event = env.npm_lifecycle_event;
  if (event === undefined || !MOCK_SCRIPTS.has(event)) return undefined;
  const taken = Object.keys(FLAGS).filter((flag) => env[`npm_config_${flag.replace(/-/g, '_')}`] !== undefined && flag !== 'help');
  const positionals = argv.filter((arg) => !arg.startsWith('-'));
  if (taken.length === 0 && (positionals.length === 0 || argv.some((arg) => arg.startsWith('--')))) return undefined;
  const command = program === 'npm start' || event === 'start' ? 'npm start' : `npm run ${event}`;
  // With --secret among them, the value npm passed on is the secret: not repeated in the message.
  if (taken.includes('secret'))
    return `npm kept --secret for itself (and printed the secret): give it in the environment instead: ${SECRET_ENV}=<base64> ${command}`;
  const example = [...taken.map((flag) => `--${flag}`), ...positionals].join(' ') || '--port 4011';
  return `npm kept ${taken.length > 0 ? taken.map((f) => `--${f}`).join(', ') : 'the flags'} for itself: pass flags after \`--\`: ${command} -- ${example}`;
}

// The flags of `argv`; a flag that is unknown or lacks its value is a usage error.
function parseFlags(argv: string[]) {
  try {
    return parseArgs({ args: argv, options: FLAGS, strict: true, allowPositionals: false }).values;
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

/** Parses the mock's command line (`argv` without node and the script), with the environment. */
export function parseCommandLine(argv: string[], env: NodeJS.ProcessEnv, program: Program): CommandLine {
  const dashes = forgottenDashes(argv, env, program);
  if (dashes) throw new UsageError(dashes);
  const values = parseFlags(argv);
  if (values['build-only'] && program !== 'npm start') throw new UsageError("--build-only is npm start's (socialize-mock has nothing to build)");
  const options: MockServerOptions = {};
  if (values.port !== undefined) options.port = parsePort(values.port);
  if (values.host !== undefined) options.host = values.host;
  if (values['api-key'] !== undefined) options.apiKey = values['api-key'];
  if (values.delay !== undefined) options.delay = parseDelay(values.delay);
  if (values['user-key'] !== undefined) options.userKey = values['user-key'];
  if (values.accounts !== undefined) options.accounts = values.accounts;
  if (values.state !== undefined) options.state = values.state;
  if (values.contract !== undefined) options.contract = values.contract;
  if (values.docs !== undefined) options.docs = values.docs;
  if (values['trusted-domains'] !== undefined) options.trustedDomains = values['trusted-domains'].split(',');
  if (values['idle-timeout'] !== undefined) {
    if (!/^\d{3,9}$/.test(values['idle-timeout']))
      throw new UsageError(`--idle-timeout must be whole milliseconds, at least 100, not "${values['idle-timeout'].slice(0, 40)}".`);
    options.idleTimeout = Number(values['idle-timeout']);
  }
  if (values['prism-only']) options.prismOnly = true;
  if (values.verbose) options.logDetails = true;
  let secretFrom: CommandLine['secretFrom'] = 'default';
  if (values.secret !== undefined) {
    // npm prints a script's command line before running it (unless --silent): the secret is on screen.
    if (MOCK_SCRIPTS.has(env.npm_lifecycle_event ?? '') && env.npm_config_loglevel !== 'silent') {
      throw new UsageError(
        `--secret: npm has printed this command line, secret included; give it in the environment instead: ${SECRET_ENV}=<base64> npm ${env.npm_lifecycle_event === 'start' ? 'start' : `run ${env.npm_lifecycle_event}`}`,
      );
    }
    options.secret = values.secret;
    secretFrom = '--secret';
  } else if (env[SECRET_ENV] !== undefined && env[SECRET_ENV] !== '') {
    options.secret = env[SECRET_ENV];
    secretFrom = SECRET_ENV;
  }
  const userSecretFrom = userSecretOf(values['user-secret'], env, options);
  if (values.quiet && values.verbose) throw new UsageError('--quiet and --verbose: choose one');
  return {
    options,
    quiet: values.quiet === true,
    verbose: values.verbose === true,
    help: values.help === true,
    buildOnly: values['build-only'] === true,
    secretFrom,
    userSecretFrom,
  };
}

// The user key secret, from --user-secret or the environment (refused on a command line npm prints).
function userSecretOf(flag: string | undefined, env: NodeJS.ProcessEnv, options: MockServerOptions): CommandLine['userSecretFrom'] {
  if (flag !== undefined) {
    if (MOCK_SCRIPTS.has(env.npm_lifecycle_event ?? '') && env.npm_config_loglevel !== 'silent') {
      throw new UsageError(
        `--user-secret: npm has printed this command line, secret included; give it in the environment instead: ${USER_SECRET_ENV}=<base64>`,
      );
    }
    options.userSecret = flag;
    return '--user-secret';
  }
  if (env[USER_SECRET_ENV] !== undefined && env[USER_SECRET_ENV] !== '') {
    options.userSecret = env[USER_SECRET_ENV];
    return USER_SECRET_ENV;
  }
  return 'default';
}

/** What to say when startMockServer refuses to start: a UsageError naming the flag, or a plain Error. */
function startFailure(error: unknown, line: CommandLine): Error {
  if (error instanceof InvalidParameterError) {
    const flag = FLAG_OF[error.parameter];
    const detail = error.message.slice(error.parameter.length + 1).trim();
    if (flag === '--secret' && line.secretFrom === SECRET_ENV) return new UsageError(`${SECRET_ENV} ${detail}`);
    if (flag === '--user-secret' && line.userSecretFrom === USER_SECRET_ENV) return new UsageError(`${USER_SECRET_ENV} ${detail}`);
    return flag ? new UsageError(`${flag} ${detail}`) : new Error(error.message);
  }
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'EADDRINUSE') {
    const port = line.options.port ?? 4010;
    return new Error(
      `port ${port} on ${line.options.host ?? '127.0.0.1'} is already in use: stop what runs there, or choose another with --port (--port 0 takes any free port)`,
    );
  }
  if (code === 'EACCES' || code === 'EADDRNOTAVAIL') {
    return new Error(`cannot listen on ${line.options.host ?? '127.0.0.1'}:${line.options.port ?? 4010} (${code}): change --host or --port`);
  }
  return error instanceof Error ? error : new Error(String(error));
}

/** The lines printed once the mock listens. Only the default (public) secret is shown. */
function banner(server: MockServer, line: CommandLine, note = ''): string {
  const { options } = line;
  const lines = [
    `Mock server   listening on ${server.url}${note ? `   (${note})` : ''}`,
    options.docs !== undefined ? `Docs          ${server.url}/docs` : 'Docs          not served (give --docs <file>, or use npm start)',
    `Contract      ${server.url}/openapi.yaml`,
    `Test site     apiKey ${server.apiKey}`,
    line.secretFrom === 'default'
      ? `              secret ${DEFAULT_SECRET}   (a public test value, not a real secret)`
      : `              secret set from ${line.secretFrom} (not shown)`,
    line.userSecretFrom === 'default'
      ? `              userKey ${server.userKey}   userSecret ${DEFAULT_USER_SECRET}   (public test values)`
      : `              userKey ${server.userKey}   userSecret set from ${line.userSecretFrom} (not shown)`,
    `Controls      ${server.url}/__mock/ (createSite, listAccounts, getAccount, loadAccounts, resetSite)`,
  ];
  if (options.state !== undefined) lines.push(`State         ${options.state} (kept across restarts)`);
  if (options.accounts !== undefined) lines.push(`Accounts      the test site starts with ${options.accounts}`);
  if (options.delay !== undefined) {
    const d = options.delay;
    lines.push(`Latency       ${Array.isArray(d) ? `${d[0]}-${d[1]}` : d} ms per answer`);
  }
  if (options.trustedDomains) lines.push(`Login         redirects only to ${options.trustedDomains.join(', ')} and loopback hosts`);
  if (options.prismOnly) lines.push('Mode          --prism-only: every request through Prism');
  lines.push('Scenarios     header "Prefer: example=<name>" or query "?__example=<name>" (names: see the docs)', 'Ctrl-C stops it.');
  return `${lines.join('\n')}\n`;
}

/** The name a program's messages start with. */
const prefixOf = (program: Program) => (program === 'npm start' ? 'start' : 'socialize-mock');

/**
 * Starts the mock as the command line says, prints the banner, logs requests (unless --quiet), reports
 * engine load failures on stderr, and stops cleanly on SIGINT or SIGTERM (a second signal exits at once).
 */
export async function serve(line: CommandLine, program: Program, started = performance.now()): Promise<MockServer> {
  const prefix = prefixOf(program);
  const options: MockServerOptions = {
    ...line.options,
    warn: (text) => process.stderr.write(`${prefix}: ${text}\n`),
    ...(line.quiet ? {} : { log: createRequestLog() }),
  };
  let server: MockServer;
  try {
    server = await startMockServer(options);
  } catch (error) {
    throw startFailure(error, line);
  }
  process.stdout.write(banner(server, line, `${Math.round(performance.now() - started)} ms after start`));
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) process.exit(1);
    stopping = true;
    const stuck = setTimeout(() => {
      process.stderr.write(`${prefix}: the server did not close within 5 s of ${signal}; exiting\n`);
      process.exit(1);
    }, 5_000);
    stuck.unref();
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`${prefix}: error while stopping on ${signal}: ${(error as Error).message}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  return server;
}

/** Reports a failure of `program` on stderr and exits: 2 for a bad command line (with the usage), else 1. */
export function exitWith(error: unknown, program: Program): never {
  const prefix = prefixOf(program);
  if (error instanceof UsageError) {
    process.stderr.write(`${prefix}: ${error.message}\n\n${usage(program)}`);
    process.exit(2);
  }
  process.stderr.write(`${prefix}: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
