/// <reference types="node" />
// The mock server: Gigya's socialize methods from the bundled contract, on node:http, with Prism's engine
// inside. This file holds the set-up (the sites, their accounts, the state file) and the HTTP side, which
// is only an adapter: CORS, the body limit and timeouts, latency, the contract and docs as files, logging,
// start and stop; every API request goes through the pipeline (pipeline.ts) and its result is written back.
import { existsSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer, IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { assertSecret, InvalidParameterError } from 'gigya-socialize-contract';
import { loadContract, type LoadedContract } from './contract.js';
import { ContractValidators } from './validation.js';
import { DEFAULT_LIMITS, type Limits } from './lifecycle.js';
import { checkShape, readJsonFile, StateFileError, StateSaver, stateFileSchema, type StateFile } from './persistence.js';
import { andThen, isPromise, Pipeline, type ApiResult, type Awaitable } from './pipeline.js';
import { AnswerBatch, type PendingAnswer, type PendingWrite } from './answer-batch.js';
import { ConnectionGuard, defaultMaxConnections } from './connections.js';
import { IDENTITY_PAGE } from './identity-page.js';
import type { RequestLog } from './request-log.js';
import { createWebSdkRoute, type WebSdkRoute } from './web-sdk/route.js';
import { docsAnswer } from './docs-route.js';
import { EngineLoader } from './prism.js';
import { CONTROL_PREFIX, isCrossOrigin, NO_CORS, originHeaders, type CorsHeaders } from './cors.js';
import { trustedDomainList } from './redirect.js';
import { RecordError, type AccountRecord } from './records.js';
import { Site, SiteFullError, Sites } from './sites.js';
import { FastValidator, PrismValidator, type RequestValidator } from './validators.js';

export { createRequestLog, type RequestLog } from './request-log.js';
export { SIGNED_REQUEST_WINDOW_SECONDS, UID_SIGNATURE_WINDOW_SECONDS } from './credentials.js';
export type { AccountRecord, IdentityRecord } from './records.js';
export type { Limits } from './lifecycle.js';
export { StateFileError } from './persistence.js';

/** How many API requests each path answered (the fast path, or Prism's engine). */
export interface PathCounts {
  fastPath: number;
  prism: number;
}

/** Options of `startMockServer`. */
export interface MockServerOptions {
  /** Default 4010; 0 = any free port. */
  port?: number;
  /** Default '127.0.0.1'. */
  host?: string;
  /** The test site's API key, default '3_socializeMockTestSite'. */
  apiKey?: string;
  /** The test site's partner secret (Base64), default DEFAULT_SECRET. */
  secret?: string;
  /** Milliseconds added before each API answer: a fixed value or a [min, max] range. */
  delay?: number | [min: number, max: number];
  /** Path of the bundled contract; default the one gigya-socialize-contract ships. */
  contract?: string;
  /** Path of a built docs HTML file; when set, served at GET /docs (and /docs/). */
  docs?: string;
  /** Run Prism's engine on every request (no fast path), for comparison. */
  prismOnly?: boolean;
  /** Called with one line per request (method, path, errorCode or status, ms); never secrets or query values. */
  log?: (line: string) => void;
  /** Milliseconds a client may take to send a whole request (headers and body); default 10000. */
  requestTimeout?: number;
  /** The test site's user key, default DEFAULT_USER_KEY. */
  userKey?: string;
  /** The test site's user key secret (Base64), default DEFAULT_USER_SECRET. */
  userSecret?: string;
  /** The test site's starting accounts: a fixture file (MockAccountList JSON) or the records; default the contract's testSite example. */
  accounts?: string | AccountRecord[];
  /** A state file: read at start when it exists, then kept up to date (written atomically). Default: in memory only. */
  state?: string;
  /** Caps per site (accounts, identities per account). */
  limits?: Partial<Limits>;
  /** Milliseconds a connection with no request in flight may stay silent before it is closed; default 10000. */
  idleTimeout?: number;
  /** Connections open at most (default 1000, or half the descriptor limit when lower); past it the idlest is closed. */
  maxConnections?: number;
  /** Hosts socialize.login may redirect to (each with its subdomains; loopback always); default: any host. */
  trustedDomains?: string[];
  /** Add each error's errorDetails to its log line (`--verbose`). */
  logDetails?: boolean;
  /** Called when Prism's engine fails to load (the mock retries; requests that need it get 500001 meanwhile). */
  warn?: (line: string) => void;
  /** What the docs hint at /docs says when no docs file is served; default: the `--docs` flag and `npm start`. */
  docsHint?: string;
}

/** A started mock server: its URL, the test site's credentials, and `close()`. */
export interface MockServer {
  url: string;
  apiKey: string;
  secret: string;
  userKey: string;
  userSecret: string;
  /** Stops the server; with a state file, writes the last state first. */
  close(): Promise<void>;
  /** With a state file: resolves once the file holds the current state. */
  flush(): Promise<void>;
  /** How many API requests went through Prism's engine, and how many the fast path answered. */
  readonly counts: Readonly<PathCounts>;
  /** Resolves once Prism's engine is loaded (it loads in the background after the server listens; a failed load is retried). */
  readonly ready: Promise<void>;
  /** Connections open now, and how many were closed for idling or to make room (for tests and the soak). */
  readonly connections: { readonly open: number; readonly closed: Readonly<ConnectionGuard['closed']> };
}

/** The test site's API key. */
export const DEFAULT_API_KEY = '3_socializeMockTestSite';
/** The test site's partner secret: a public test value, printed at start on purpose. */
export const DEFAULT_SECRET = 'c29jaWFsaXplLW1vY2sgcGFydG5lciBzZWNyZXQgKHRlc3Qgb25seSk=';
/** The test site's user key: a public test value, printed at start on purpose. */
export const DEFAULT_USER_KEY = 'AMockUserKey';
/** The test site's user key secret: a public test value, printed at start on purpose. */
export const DEFAULT_USER_SECRET = 'c29jaWFsaXplLW1vY2sgdXNlciBrZXksIHRlc3Qgb25seQ==';
/** Idle milliseconds after which Prism's engine starts loading, unless a request needs it sooner. */
const PRISM_LOAD_DELAY_MS = 1000;
/** Bodies larger than this are refused without being read. */
export const BODY_LIMIT_BYTES = 1024 * 1024;
const DEFAULT_DOCS_HINT =
  'this mock was started without docs: start it with --docs <file> (npm run docs builds one), or use npm start, which serves them';

/** The bundled contract, as the gigya-socialize-contract package ships it (its `./openapi.yaml` export). */
export function defaultContractPath(): string {
  try {
    return createRequire(import.meta.url).resolve('gigya-socialize-contract/openapi.yaml');
  } catch (cause) {
    throw new Error(
      'gigya-socialize-contract/openapi.yaml not found: install gigya-socialize-contract (in this repository: npm run build), or pass the contract option.',
      { cause },
    );
  }
}

/** The docs page the mock package ships (packages/mock/docs/index.html), when it is there. */
export function defaultDocsPath(): string | undefined {
  const path = fileURLToPath(new URL('../docs/index.html', import.meta.url));
  return existsSync(path) ? path : undefined;
}

type Checked = Required<Pick<MockServerOptions, 'port' | 'host' | 'apiKey' | 'secret' | 'userKey' | 'userSecret'>> & {
  delay: [number, number];
  limits: Limits;
};

function checkLimits(limits: Partial<Limits> | undefined): Limits {
  const out = { ...DEFAULT_LIMITS, ...limits };
  for (const name of ['accounts', 'identities'] as const) {
    if (!Number.isInteger(out[name]) || out[name] < 1 || out[name] > 10_000_000)
      throw new InvalidParameterError(`limits.${name}`, 'must be a whole number from 1 to 10000000.');
  }
  return out;
}

function checkOptions(options: MockServerOptions): Checked {
  const { port = 4010, host = '127.0.0.1', apiKey = DEFAULT_API_KEY, secret = DEFAULT_SECRET, delay = 0 } = options;
  const { userKey = DEFAULT_USER_KEY, userSecret = DEFAULT_USER_SECRET } = options;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new InvalidParameterError('port', 'must be a whole number from 0 to 65535.');
  if (typeof host !== 'string' || host.length === 0) throw new InvalidParameterError('host', 'must be a host name or IP address.');
  if (typeof apiKey !== 'string' || !/^[\x21-\x7E]{1,200}$/.test(apiKey)) {
    throw new InvalidParameterError('apiKey', 'must be 1 to 200 printable ASCII characters without spaces.');
  }
  assertSecret(secret, 'secret');
  if (typeof userKey !== 'string' || !/^[\x21-\x7E]{1,200}$/.test(userKey)) {
    throw new InvalidParameterError('userKey', 'must be 1 to 200 printable ASCII characters without spaces.');
  }
  assertSecret(userSecret, 'userSecret');
  const range: [number, number] =
    typeof delay === 'number' ? [delay, delay] : Array.isArray(delay) && delay.length === 2 ? [delay[0], delay[1]] : [NaN, NaN];
  if (!range.every((ms) => Number.isFinite(ms) && ms >= 0 && ms <= 60_000) || range[0] > range[1]) {
    throw new InvalidParameterError('delay', 'must be milliseconds from 0 to 60000, or a [min, max] range with min ≤ max.');
  }
  if (options.requestTimeout !== undefined && !(Number.isFinite(options.requestTimeout) && options.requestTimeout >= 100)) {
    throw new InvalidParameterError('requestTimeout', 'must be at least 100 milliseconds.');
  }
  for (const name of ['idleTimeout', 'maxConnections'] as const) {
    const value = options[name];
    if (value !== undefined && !(Number.isInteger(value) && value >= (name === 'idleTimeout' ? 100 : 1))) {
      throw new InvalidParameterError(
        name,
        name === 'idleTimeout' ? 'must be whole milliseconds, at least 100.' : 'must be a whole number, at least 1.',
      );
    }
  }
  for (const name of ['log', 'warn'] as const) {
    if (options[name] !== undefined && typeof options[name] !== 'function') throw new InvalidParameterError(name, 'must be a function.');
  }
  if (options.state !== undefined && (typeof options.state !== 'string' || options.state === ''))
    throw new InvalidParameterError('state', 'must be a file path.');
  return { port, host, apiKey, secret, userKey, userSecret, delay: range, limits: checkLimits(options.limits) };
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

// What reading the body ends with, when not the body itself.
const ABORTED = Symbol('aborted');
const TOO_LARGE = Symbol('too large');
type Body = Buffer | typeof ABORTED | typeof TOO_LARGE;
const NO_BODY = Buffer.alloc(0);

/** Starting accounts: the records given, a fixture file, or the contract's testSite example. */
function startingAccounts(option: MockServerOptions['accounts'], contract: LoadedContract, validators: ContractValidators): AccountRecord[] {
  if (Array.isArray(option)) return option;
  if (option === undefined) return contract.testSiteAccounts as AccountRecord[];
  if (typeof option !== 'string' || !isFile(option)) throw new InvalidParameterError('accounts', `${String(option)} is not a readable file.`);
  const value = readJsonFile(option);
  // The list itself, or an object holding it as `accounts` (what listAccounts answers).
  const list = value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as { accounts?: unknown }).accounts : value;
  checkShape(list, validators.component('MockAccountList'), option, 'MockAccountList');
  return list as AccountRecord[];
}

// A file that cannot be used is a bad option value: the error names the option (and the CLI the flag).
function asOptionError<T>(option: 'accounts' | 'state', read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof StateFileError || error instanceof RecordError) throw new InvalidParameterError(option, error.message);
    throw error;
  }
}

// The sites: the test site with its starting accounts, then what a state file holds (its accounts win).
function createSites(options: MockServerOptions, checked: Checked, contract: LoadedContract, validators: ContractValidators): Sites {
  const { apiKey, secret, userKey, userSecret, limits } = checked;
  const sites = asOptionError('accounts', () => {
    const initial = startingAccounts(options.accounts, contract, validators);
    return new Sites(new Site({ apiKey, secret, userKey, userSecret }, initial, limits, false), limits);
  });
  const file = options.state;
  if (file !== undefined && existsSync(file)) {
    asOptionError('state', () => {
      const state = readJsonFile(file);
      checkShape(state, validators.compile(stateFileSchema()), file, 'a --state file');
      loadState(sites, state as StateFile, file);
    });
  }
  return sites;
}

function loadState(sites: Sites, state: StateFile, file: string): void {
  state.sites.forEach((stored, index) => {
    const at = `sites[${index}].accounts`;
    const { accounts, ...credentials } = stored;
    if (credentials.apiKey === sites.main.apiKey) {
      sites.main.replace(accounts, at);
      return;
    }
    for (const name of ['secret', 'userSecret'] as const) {
      try {
        assertSecret(credentials[name], name);
      } catch {
        throw new StateFileError(`${file}: sites[${index}].${name}: must be Base64`);
      }
    }
    try {
      sites.add(credentials, []).replace(accounts, at);
    } catch (error) {
      if (error instanceof SiteFullError) throw new StateFileError(`${file}: sites[${index}].apiKey: ${error.message}`);
      throw error;
    }
  });
}

// Prism's engine takes most of the start-up time (loading its modules, reading the contract). The server
// listens before it is ready and loads it right after; until then the fast path answers what it can, and
// requests that need Prism wait for it. A failed load is retried (EngineLoader); meanwhile those requests
// get 500001 saying when the next attempt is.
function engineOf(contract: LoadedContract, warn: MockServerOptions['warn']) {
  const loader = new EngineLoader(contract.prismDocument, (error, retryInMs) =>
    warn?.(
      `Prism's engine did not load: ${error.message.split('\n', 1)[0]}; retrying in ${Math.round(retryInMs / 1000)} s (requests that need it get 500001 meanwhile)`,
    ),
  );
  const get = () =>
    loader.get().catch((error: unknown) => {
      const first = (error instanceof Error ? error.message : String(error)).split('\n', 1)[0];
      throw new Error(`${first}; the mock retries in ${loader.retryInSeconds() ?? 0} s`);
    });
  return { loader, get };
}

// A string body goes out in one write together with the header (node:http joins them); a Buffer would take a second chunk.
function send(res: ServerResponse, status: number, headers: Record<string, string>, body: Buffer | string): void {
  headers['content-length'] = String(typeof body === 'string' ? Buffer.byteLength(body) : body.length);
  res.writeHead(status, headers);
  end(res, body);
}

function end(res: ServerResponse, body: Buffer | string): void {
  if (res.req.method === 'HEAD') res.end();
  else if (typeof body === 'string') res.end(body, 'utf8');
  else res.end(body);
}

const JSON_TYPE = 'application/json; charset=utf-8';
const JSONP_TYPE = 'application/javascript; charset=utf-8';

// An API answer: the CORS headers (none without an Origin), then the fixed ones, as one flat list for
// writeHead, built without spreading objects (this runs on every API request).
function sendAnswer(res: ServerResponse, status: number, cors: CorsHeaders, type: string, body: string): void {
  const headers: string[] = [];
  for (const name in cors) headers.push(name, cors[name]!);
  headers.push('cache-control', 'no-store', 'content-type', type, 'content-length', String(Buffer.byteLength(body)));
  res.writeHead(status, headers);
  end(res, body);
}

function sendResult(res: ServerResponse, result: ApiResult, cors: CorsHeaders, logDetails = false): string {
  if (result.kind === 'redirect') {
    send(res, 302, { ...cors, location: result.location, 'cache-control': 'no-store' }, '');
    return '302';
  }
  if (result.kind === 'html') {
    send(res, 200, { ...cors, 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }, result.html);
    return '200';
  }
  const json = JSON.stringify(result.answer.body);
  const status = result.httpStatusCodes ? result.answer.status : 200;
  if (result.callback !== undefined) sendAnswer(res, status, cors, JSONP_TYPE, `${result.callback}(${json});`);
  else sendAnswer(res, status, cors, JSON_TYPE, json);
  const { errorCode, errorDetails } = result.answer.body as { errorCode: number; errorDetails?: unknown };
  return logDetails && typeof errorDetails === 'string' ? `${errorCode} (${errorDetails.slice(0, 300)})` : String(errorCode);
}

interface Files {
  contractText: Buffer;
  docs: string | undefined;
  docsHint: string;
  webSdk: WebSdkRoute;
}

// Preflight, the contract and the docs page: answered here, never delayed; undefined for anything else.
function fileAnswer(
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  files: Files,
  cors: CorsHeaders,
  pipeline: Pipeline,
): string | undefined {
  const method = req.method ?? 'GET';
  if (method === 'OPTIONS') {
    const requested = req.headers['access-control-request-headers'];
    send(
      res,
      204,
      {
        ...cors,
        allow: 'GET, POST, OPTIONS',
        'access-control-allow-methods': 'GET, POST, OPTIONS',
        'access-control-allow-headers': typeof requested === 'string' && requested.length > 0 ? requested : 'content-type, prefer',
        'access-control-max-age': '600',
      },
      '',
    );
    return '204';
  }
  if (method !== 'GET' && method !== 'HEAD') return undefined;
  const sdk = files.webSdk(req, res, path, (req.url ?? '').slice(path.length + 1));
  if (sdk !== undefined) return sdk;
  if (path === '/openapi.yaml') {
    send(res, 200, { ...cors, 'content-type': 'text/yaml; charset=utf-8' }, files.contractText);
    return '200';
  }
  const { docs } = files;
  if (docs === undefined && (path === '/docs' || path === '/docs/')) return errorJson(res, pipeline, cors, 404000, `docs: ${files.docsHint}`);
  if (docs === undefined) return undefined;
  if (path === '/') {
    send(res, 302, { ...cors, location: '/docs' }, '');
    return '302';
  }
  return docsAnswer(req, res, path, docs, cors);
}

interface Adapter {
  pipeline: Pipeline;
  files: Files;
  listening: () => string;
  pause: () => Promise<void> | undefined;
  logDetails: boolean;
}

const errorJson = (res: ServerResponse, pipeline: Pipeline, cors: CorsHeaders, errorCode: number, errorDetails: string): string =>
  sendResult(res, { kind: 'json', answer: pipeline.envelopes.error({ errorCode, errorDetails }), httpStatusCodes: false }, cors);

// What the adapter refuses before anything is read: no Host (node:http would answer a bare 400), or a
// control endpoint called from another origin (the identity page is a page a login navigates to: allowed).
function refusal(req: IncomingMessage, res: ServerResponse, path: string, adapter: Adapter, cors: CorsHeaders): string | undefined {
  if (req.headers.host === undefined || req.headers.host === '') {
    res.shouldKeepAlive = false;
    return errorJson(res, adapter.pipeline, cors, 400001, 'Host: missing; HTTP/1.1 requests must name the host they are sent to');
  }
  if (path.startsWith(CONTROL_PREFIX) && path !== IDENTITY_PAGE && isCrossOrigin(req)) {
    return errorJson(res, adapter.pipeline, cors, 403000, `${CONTROL_PREFIX}: the mock's control endpoints answer only requests from its own origin`);
  }
  return undefined;
}

/**
 * What became of a request, for the log: now, or once the pipeline (or the delay) is done waiting;
 * undefined when a later event reports it (the body's end, or the end of the turn that writes its answer).
 */
type Outcome = Awaitable<string | undefined>;

// The target up to its query: what the log shows.
function beforeQuery(target: string): string {
  const query = target.indexOf('?');
  return query === -1 ? target : target.slice(0, query);
}

// The path of a request target: origin form (the usual one, taken as it is), or absolute form (a client behind a proxy).
function pathOf(target: string): string {
  const path = beforeQuery(target);
  if (path.charCodeAt(0) === 0x2f) return path;
  const absolute = /^https?:\/\/[^/]*(\/.*)?$/i.exec(path);
  return absolute ? (absolute[1] ?? '/') : path;
}

// Requests node:http cannot parse, or that are not complete in time: a Gigya-shaped answer, then close.
function onClientError(pipeline: Pipeline, requestTimeout: number, log: MockServerOptions['log']) {
  return (error: NodeJS.ErrnoException, socket: Socket) => {
    const active = (socket as Socket & { _httpMessage?: ServerResponse })._httpMessage;
    if (!socket.writable || active?.headersSent) {
      socket.destroy();
      return;
    }
    const timeout = error.code === 'ERR_HTTP_REQUEST_TIMEOUT';
    const answer = pipeline.envelopes.error(
      timeout
        ? { errorCode: 504002, errorDetails: `request: not received completely within ${requestTimeout} ms` }
        : { errorCode: 400001, errorDetails: `request: not a valid HTTP request (${error.code ?? 'parse error'})` },
    );
    const json = JSON.stringify(answer.body);
    socket.end(
      `HTTP/1.1 200 OK\r\ncontent-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(json)}\r\nconnection: close\r\n\r\n${json}`,
    );
    // A client that does not read its answer does not keep the socket.
    socket.setTimeout(1_000, () => socket.destroy());
    if (log) log(`(unparsed request) → ${answer.body.errorCode}`);
  };
}

// The mock's own request log (createRequestLog) counts a request past its lines per second without the line.
const countedOnly = (log: (line: string) => void, outcome: string): boolean =>
  typeof (log as Partial<RequestLog>).counted === 'function' && (log as RequestLog).counted(outcome);

/** What every request's Exchange shares: the adapter, the log, and the server's books. */
interface Host {
  adapter: Adapter;
  log: MockServerOptions['log'];
  idle: IdleLoad;
  guard: ConnectionGuard;
  batch: AnswerBatch;
}

/** node:http's request, carrying its Exchange for the listeners every request shares. */
class MockRequest extends IncomingMessage {
  exchange: Exchange | undefined = undefined;
}

// Listeners shared by every request (node calls them with the emitter as `this`), instead of closures made per request.
function onBodyData(this: MockRequest, chunk: Buffer): void {
  this.exchange!.data(chunk);
}

function onBodyEnd(this: MockRequest): void {
  this.exchange!.bodyEnded();
}

function onBodyAborted(this: MockRequest): void {
  this.exchange!.bodyRead(ABORTED);
}

function onResponseClose(this: ServerResponse<MockRequest>): void {
  this.req.exchange!.release();
}

// One request, from its arrival to its log line: a file, or the body read (up to the limit) and handed to the
// pipeline at the end of the turn (answer-batch.ts), its result written back. The steps are methods and the
// listeners shared functions, so that a request allocates this object (and its body), not a closure per step.
class Exchange implements PendingAnswer, PendingWrite {
  readonly started = performance.now();
  private readonly target: string;
  private cors: CorsHeaders = NO_CORS;
  private reading = false;
  private released = false;
  /** The body's first chunk; `chunks` holds all of them once there is a second. */
  private first: Buffer | undefined = undefined;
  private chunks: Buffer[] | undefined = undefined;
  private size = 0;
  /** The body read (or why there is none), while it waits in the batch for its answer to be computed. */
  private body: Body | undefined = undefined;
  /** The pipeline's result, once it is computed and waits in the batch to be written. */
  private result: ApiResult | undefined = undefined;

  constructor(
    private readonly req: MockRequest,
    private readonly res: ServerResponse<MockRequest>,
    private readonly host: Host,
  ) {
    this.target = req.url ?? '/';
  }

  begin(): void {
    const { req, host } = this;
    req.exchange = this;
    host.guard.requestStarted(req.socket);
    this.res.on('close', onResponseClose);
    host.idle.touch(this.started);
    this.step(undefined);
  }

  // Each step is guarded: a throw in the first one or in the body's, or a rejection later, is a bug answered as one.
  private step(body: Body | undefined): void {
    let outcome: Outcome;
    try {
      outcome = body === undefined ? this.handle() : this.answerBody(body);
    } catch (error) {
      this.crash(error);
      return;
    }
    if (outcome === undefined) return; // a later event (the body's end, the batch) takes the next step
    if (!isPromise(outcome)) {
      this.report(outcome);
      return;
    }
    outcome.then(
      (done) => done !== undefined && this.report(done),
      (error: unknown) => this.crash(error),
    );
  }

  // Undefined while the body is being read.
  private handle(): Outcome {
    const { req, res, host } = this;
    const path = pathOf(this.target);
    const cors = originHeaders(req, path);
    this.cors = cors;
    const early = refusal(req, res, path, host.adapter, cors) ?? fileAnswer(req, res, path, host.adapter.files, cors, host.adapter.pipeline);
    if (early !== undefined) return early;
    this.readBody();
    return undefined;
  }

  // Reads the body up to the limit, then takes the next step, once; a declared or actual size beyond the limit
  // stops reading at once. Events, not a promise: the answer is computed in the turn of the last byte.
  private readBody(): void {
    const { req } = this;
    const declared = req.headers['content-length'];
    if (declared !== undefined && Number(declared) > BODY_LIMIT_BYTES) {
      this.step(TOO_LARGE);
      return;
    }
    this.reading = true;
    // `on`, not `once`: the body is read once anyway, and a request's listeners go with it. No 'error'
    // listener: node:http emits a request's error only when one is listened for, and 'close' comes anyway.
    req.on('data', onBodyData);
    req.on('end', onBodyEnd);
    req.on('close', onBodyAborted);
  }

  data(chunk: Buffer): void {
    this.size += chunk.length;
    if (this.size > BODY_LIMIT_BYTES) {
      this.first = undefined;
      this.chunks = undefined;
      this.bodyRead(TOO_LARGE);
    } else if (this.first === undefined) {
      this.first = chunk;
    } else if (this.chunks === undefined) {
      this.chunks = [this.first, chunk];
    } else {
      this.chunks.push(chunk);
    }
  }

  bodyEnded(): void {
    this.bodyRead(this.chunks ? Buffer.concat(this.chunks, this.size) : (this.first ?? NO_BODY));
  }

  bodyRead(body: Body): void {
    if (!this.reading) return;
    this.reading = false;
    this.req.off('data', onBodyData);
    this.body = body;
    this.host.batch.compute(this);
  }

  computeNow(): void {
    const body = this.body!;
    this.body = undefined;
    this.step(body);
  }

  // The pipeline's result for the body read (or an error for one too large).
  private answerBody(body: Body): Outcome {
    const { req, res, host } = this;
    if (body === ABORTED) {
      res.destroy();
      return 'aborted';
    }
    let result: Awaitable<ApiResult>;
    if (body === TOO_LARGE) {
      res.shouldKeepAlive = false;
      const answer = host.adapter.pipeline.envelopes.error({
        errorCode: 400001,
        errorDetails: `body: larger than the limit of ${BODY_LIMIT_BYTES} bytes`,
      });
      result = { kind: 'json', answer, httpStatusCodes: false };
    } else {
      result = host.adapter.pipeline.handle({
        method: req.method ?? 'GET',
        target: this.target,
        headers: req.headers,
        body,
        listening: host.adapter.listening(),
      });
    }
    return andThen(result, (ready) => this.answer(ready));
  }

  // The result written back after the delay, unless the client is gone by then; without a delay, at the end
  // of this turn with the other answers of the turn (answer-batch.ts).
  private answer(result: ApiResult): Outcome {
    const wait = this.host.adapter.pause();
    if (wait) return wait.then(() => this.write(result));
    this.result = result;
    this.host.batch.add(this);
    return undefined;
  }

  writeNow(): void {
    const result = this.result!;
    this.result = undefined;
    let outcome: string;
    try {
      outcome = this.write(result);
    } catch (error) {
      this.crash(error);
      return;
    }
    this.report(outcome);
  }

  private write(result: ApiResult): string {
    return this.res.destroyed ? 'closed' : sendResult(this.res, result, this.cors, this.host.adapter.logDetails);
  }

  private report(outcome: string): void {
    const { log, idle } = this.host;
    const now = performance.now();
    idle.touch(now);
    if (log && !countedOnly(log, outcome)) log(`${this.req.method} ${beforeQuery(this.target)} → ${outcome} ${(now - this.started).toFixed(1)} ms`);
  }

  private crash(error: unknown): void {
    const { res, host } = this;
    // A bug: answer in Gigya's shape (500001 is kept for this) and keep serving.
    if (!res.headersSent && !res.destroyed) {
      const answer = host.adapter.pipeline.envelopes.error({ errorCode: 500001, errorDetails: 'mock: internal error' });
      send(res, 200, { 'content-type': JSON_TYPE }, JSON.stringify(answer.body));
    } else {
      res.destroy();
    }
    if (host.log)
      host.log(`${this.req.method} ${beforeQuery(this.target)} → 500001 internal error: ${error instanceof Error ? error.message : String(error)}`);
  }

  // The answer is finished or abandoned: the connection's books count the request done, once.
  release(): void {
    if (this.released) return;
    this.released = true;
    this.host.guard.requestEnded(this.req.socket);
  }
}

// Prism's engine loads once the server has been idle for a moment: loading its modules blocks the event
// loop for a while, and requests that do not need it should not wait for that. A request only notes when
// it began and ended; one timer compares, instead of a timer replaced twice per request.
class IdleLoad {
  private last = 0;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(private readonly loader: EngineLoader) {}

  /** A request began or ended at `now` (performance.now()). */
  touch(now: number): void {
    this.last = now;
  }

  start(): void {
    this.touch(performance.now());
    if (!this.loader.started) this.wait(PRISM_LOAD_DELAY_MS);
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  private wait(ms: number): void {
    this.timer = setTimeout(() => this.check(), ms);
  }

  private check(): void {
    if (this.stopped || this.loader.started) return;
    const idle = performance.now() - this.last;
    if (idle < PRISM_LOAD_DELAY_MS) this.wait(Math.ceil(PRISM_LOAD_DELAY_MS - idle));
    else void this.loader.get().catch(() => {});
  }
}

function onRequest(host: Host) {
  return (req: MockRequest, res: ServerResponse<MockRequest>) => new Exchange(req, res, host).begin();
}

interface Prepared {
  checked: Checked;
  pipeline: Pipeline;
  engine: ReturnType<typeof engineOf>;
  sites: Sites;
  saver: StateSaver | undefined;
  counts: PathCounts;
  contract: LoadedContract;
}

function prepare(options: MockServerOptions): Prepared {
  const checked = checkOptions(options);
  const contractPath = options.contract ?? defaultContractPath();
  if (!isFile(contractPath)) throw new InvalidParameterError('contract', `${contractPath} is not a readable file.`);
  if (options.docs !== undefined && !isFile(options.docs)) throw new InvalidParameterError('docs', `${options.docs} is not a readable file.`);
  const contract = loadContract(contractPath);
  const validators = new ContractValidators(contract);
  const sites = createSites(options, checked, contract, validators);
  const engine = engineOf(contract, options.warn);
  const prism = new PrismValidator(engine.get, contract, validators);
  const fast = new FastValidator(validators);
  const counting = new CountingValidator(fast);
  const chain: RequestValidator[] = options.prismOnly === true ? [prism] : [counting, prism];
  const log = options.log;
  // A state file that cannot be written is reported, never silently: through the log, else on stderr.
  const report = (error: Error) =>
    (log ?? ((line: string) => process.stderr.write(`socialize-mock: ${line}\n`)))(`state file: not written: ${error.message}`);
  const saver = options.state === undefined ? undefined : new StateSaver(options.state, sites, report);
  const trustedDomains = options.trustedDomains === undefined ? undefined : trustedDomainList(options.trustedDomains);
  const pipeline = new Pipeline({
    contract,
    sites,
    validators,
    chain,
    ...(saver ? { changed: () => saver.changed() } : {}),
    ...(trustedDomains ? { trustedDomains } : {}),
  });
  const counts: PathCounts = {
    get fastPath() {
      return counting.count;
    },
    get prism() {
      return prism.count;
    },
  };
  return { checked, pipeline, engine, sites, saver, counts, contract };
}

/** Counts what the fast path accepted. */
class CountingValidator implements RequestValidator {
  count = 0;
  constructor(private readonly inner: RequestValidator) {}
  validate(...args: Parameters<RequestValidator['validate']>): ReturnType<RequestValidator['validate']> {
    const verdict = this.inner.validate(...args);
    if (verdict instanceof Promise) return verdict.then((v) => this.counted(v));
    return this.counted(verdict);
  }

  private counted<T>(verdict: T): T {
    if (verdict) this.count++;
    return verdict;
  }
}

// node:http with the mock's timeouts, the connection guard, and the adapter as its request handler.
function httpServer(adapter: Adapter, options: MockServerOptions, requestTimeout: number, hooks: { idle: IdleLoad; guard: ConnectionGuard }) {
  const batch = new AnswerBatch();
  const server = createServer(
    {
      IncomingMessage: MockRequest,
      requestTimeout,
      headersTimeout: Math.min(requestTimeout, 10_000),
      keepAliveTimeout: 5_000,
      connectionsCheckingInterval: Math.min(1_000, requestTimeout),
      // A request without Host gets Gigya's envelope from the adapter, not node:http's bare 400.
      requireHostHeader: false,
    },
    onRequest({ adapter, log: options.log, batch, ...hooks }),
  );
  server.on('connection', (socket: Socket) => hooks.guard.accept(socket));
  server.on('clientError', onClientError(adapter.pipeline, requestTimeout, options.log));
  return server;
}

function listen(server: ReturnType<typeof createServer>, port: number, host: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/** Starts the mock; resolves once it listens (Prism's engine then loads in the background: see `ready`). */
export async function startMockServer(options: MockServerOptions = {}): Promise<MockServer> {
  const { checked, pipeline, engine, saver, counts, contract } = prepare(options);
  const { port, host, apiKey, secret, userKey, userSecret, delay } = checked;
  if (options.prismOnly === true) await engine.loader.get();
  const requestTimeout = options.requestTimeout ?? 10_000;
  const [minDelay, maxDelay] = delay;
  let address = `${host}:${port}`;
  const adapter: Adapter = {
    pipeline,
    files: {
      contractText: Buffer.from(contract.text, 'utf8'),
      docs: options.docs,
      docsHint: options.docsHint ?? DEFAULT_DOCS_HINT,
      webSdk: createWebSdkRoute(contract),
    },
    logDetails: options.logDetails === true,
    listening: () => address,
    pause: () => (maxDelay === 0 ? undefined : sleep(minDelay + Math.floor(Math.random() * (maxDelay - minDelay + 1)))),
  };
  const idle = new IdleLoad(engine.loader);
  const guard = new ConnectionGuard({ max: options.maxConnections ?? defaultMaxConnections(), idleMs: options.idleTimeout ?? 10_000 });
  const server = httpServer(adapter, options, requestTimeout, { idle, guard });
  await listen(server, port, host);
  idle.start();
  const bound = server.address() as AddressInfo;
  const urlHost = bound.family === 'IPv6' || host.includes(':') ? `[${bound.address}]` : host;
  address = `${urlHost}:${bound.port}`;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${address}`,
    apiKey,
    secret,
    userKey,
    userSecret,
    counts,
    ready: engine.loader.ready,
    connections: {
      get open() {
        return guard.size;
      },
      closed: guard.closed,
    },
    flush: () => saver?.flush() ?? Promise.resolve(),
    close() {
      idle.stop();
      engine.loader.stop();
      guard.stop();
      closing ??= new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }).then(() => saver?.flush());
      return closing;
    },
  };
}
