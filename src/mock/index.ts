/// <reference types="node" />
// The mock server: Gigya's socialize methods from the bundled contract, on node:http, with Prism's engine
// inside (see api.ts). This file holds the HTTP side: CORS, the body limit and timeouts, latency, the
// contract and docs as files, logging, start and stop.
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { assertSecret, InvalidParameterError } from 'gigya-socialize-contract';
import { Api, type ApiResult, type PathCounts } from './api.js';
import { loadContract } from './contract.js';
import { ContractValidators } from './validation.js';
import { CredentialChecker } from './credentials.js';
import { ConnectionGuard, defaultMaxConnections } from './connections.js';
import { EngineLoader } from './prism.js';
import { CONTROL_PREFIX, isCrossOrigin, originHeaders } from './cors.js';
import { trustedDomainList } from './redirect.js';
import { createWebSdkRoute } from './web-sdk/route.js';

export { createRequestLog } from './request-log.js';
export { SIGNED_REQUEST_WINDOW_SECONDS, UID_SIGNATURE_WINDOW_SECONDS } from './credentials.js';

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

export interface MockServer {
  url: string;
  apiKey: string;
  secret: string;
  close(): Promise<void>;
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
/** Idle milliseconds after which Prism's engine starts loading, unless a request needs it sooner. */
const PRISM_LOAD_DELAY_MS = 1000;
/** Bodies larger than this are refused without being read. */
export const BODY_LIMIT_BYTES = 1024 * 1024;
const DEFAULT_DOCS_HINT = 'this mock was started without docs: start it with --docs <file> (npm run docs builds one), or use npm start, which serves them';

/** The bundled contract, as the gigya-socialize-contract package ships it (its `./openapi.yaml` export). */
export function defaultContractPath(): string {
  try {
    return createRequire(import.meta.url).resolve('gigya-socialize-contract/openapi.yaml');
  } catch (cause) {
    throw new Error('gigya-socialize-contract/openapi.yaml not found: install gigya-socialize-contract (in this repository: npm run build), or pass the contract option.', { cause });
  }
}

/** The docs page the mock package ships (packages/mock/docs/index.html), when it is there. */
export function defaultDocsPath(): string | undefined {
  const path = fileURLToPath(new URL('../docs/index.html', import.meta.url));
  return existsSync(path) ? path : undefined;
}

function checkOptions(options: MockServerOptions): Required<Pick<MockServerOptions, 'port' | 'host' | 'apiKey' | 'secret'>> & { delay: [number, number] } {
  const { port = 4010, host = '127.0.0.1', apiKey = DEFAULT_API_KEY, secret = DEFAULT_SECRET, delay = 0 } = options;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new InvalidParameterError('port', 'must be a whole number from 0 to 65535.');
  if (typeof host !== 'string' || host.length === 0) throw new InvalidParameterError('host', 'must be a host name or IP address.');
  if (typeof apiKey !== 'string' || !/^[\x21-\x7E]{1,200}$/.test(apiKey)) {
    throw new InvalidParameterError('apiKey', 'must be 1 to 200 printable ASCII characters without spaces.');
  }
  assertSecret(secret, 'secret');
  const range: [number, number] = typeof delay === 'number' ? [delay, delay] : Array.isArray(delay) && delay.length === 2 ? [delay[0], delay[1]] : [NaN, NaN];
  if (!range.every((ms) => Number.isFinite(ms) && ms >= 0 && ms <= 60_000) || range[0] > range[1]) {
    throw new InvalidParameterError('delay', 'must be milliseconds from 0 to 60000, or a [min, max] range with min ≤ max.');
  }
  if (options.requestTimeout !== undefined && !(Number.isFinite(options.requestTimeout) && options.requestTimeout >= 100)) {
    throw new InvalidParameterError('requestTimeout', 'must be at least 100 milliseconds.');
  }
  for (const name of ['idleTimeout', 'maxConnections'] as const) {
    const value = options[name];
    if (value !== undefined && !(Number.isInteger(value) && value >= (name === 'idleTimeout' ? 100 : 1))) {
      throw new InvalidParameterError(name, name === 'idleTimeout' ? 'must be whole milliseconds, at least 100.' : 'must be a whole number, at least 1.');
    }
  }
  for (const name of ['log', 'warn'] as const) {
    if (options[name] !== undefined && typeof options[name] !== 'function') throw new InvalidParameterError(name, 'must be a function.');
  }
  return { port, host, apiKey, secret, delay: range };
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

type Body = { body: Buffer } | { tooLarge: true } | { aborted: true };

// Reads the body up to the limit; a declared or actual size beyond it stops reading at once.
function readBody(req: IncomingMessage): Promise<Body> {
  const declared = req.headers['content-length'];
  if (declared !== undefined && Number(declared) > BODY_LIMIT_BYTES) return Promise.resolve({ tooLarge: true });
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (result: Body) => {
      if (done) return;
      done = true;
      req.off('data', onData);
      resolve(result);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > BODY_LIMIT_BYTES) {
        chunks.length = 0;
        finish({ tooLarge: true });
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('end', () => finish({ body: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size) }));
    req.once('error', () => finish({ aborted: true }));
    req.once('close', () => finish({ aborted: true }));
  });
}

/** Starts the mock; resolves once it listens (Prism's engine then loads in the background: see `ready`). */
export async function startMockServer(options: MockServerOptions = {}): Promise<MockServer> {
  const { port, host, apiKey, secret, delay } = checkOptions(options);
  const contractPath = options.contract ?? defaultContractPath();
  if (!isFile(contractPath)) throw new InvalidParameterError('contract', `${contractPath} is not a readable file.`);
  const docs = options.docs;
  if (docs !== undefined && !isFile(docs)) throw new InvalidParameterError('docs', `${docs} is not a readable file.`);
  const log = options.log;
  const requestTimeout = options.requestTimeout ?? 10_000;
  const trustedDomains = options.trustedDomains === undefined ? undefined : trustedDomainList(options.trustedDomains);
  const docsHint = options.docsHint ?? DEFAULT_DOCS_HINT;

  const contract = loadContract(contractPath);
  const validators = new ContractValidators(contract);
  const credentials = new CredentialChecker({ apiKey, secret });
  // Prism's engine takes most of the start-up time (loading its modules, reading the contract). The
  // server listens before it is ready and loads it right after; until then the fast path answers what
  // it can, and requests that need Prism wait for it. With prismOnly every request needs it: wait first.
  const warn = options.warn;
  const loader = new EngineLoader(contract.prismDocument, (error, retryInMs) =>
    warn?.(`Prism's engine did not load: ${error.message.split('\n', 1)[0]}; retrying in ${Math.round(retryInMs / 1000)} s (requests that need it get 500001 meanwhile)`),
  );
  const prism = () =>
    loader.get().catch((error: unknown) => {
      const first = (error instanceof Error ? error.message : String(error)).split('\n', 1)[0];
      throw new Error(`${first}; the mock retries in ${loader.retryInSeconds() ?? 0} s`);
    });
  const prismOnly = options.prismOnly === true;
  if (prismOnly) await loader.get();
  const api = new Api({ contract, credentials, prism, prismOnly, validators, ...(trustedDomains ? { trustedDomains } : {}) });
  const webSdk = createWebSdkRoute(contract);
  const contractText = Buffer.from(contract.text, 'utf8');
  const [minDelay, maxDelay] = delay;
  const pause = () => (maxDelay === 0 ? undefined : sleep(minDelay + Math.floor(Math.random() * (maxDelay - minDelay + 1))));

  // A string body goes out in one write together with the header (node:http joins them); a Buffer would
  // take a second chunk.
  function send(res: ServerResponse, status: number, headers: Record<string, string>, body: Buffer | string): void {
    headers['content-length'] = String(typeof body === 'string' ? Buffer.byteLength(body) : body.length);
    res.writeHead(status, headers);
    if (res.req.method === 'HEAD') res.end();
    else if (typeof body === 'string') res.end(body, 'utf8');
    else res.end(body);
  }

  const errorJson = (res: ServerResponse, cors: Record<string, string>, errorCode: number, errorDetails: string): string =>
    sendResult(res, { kind: 'json', answer: api.envelope.error({ errorCode, errorDetails }), httpStatusCodes: false }, cors);

  function sendResult(res: ServerResponse, result: ApiResult, cors: Record<string, string>): string {
    if (result.kind === 'redirect') {
      send(res, 302, { ...cors, location: result.location, 'cache-control': 'no-store' }, '');
      return '302';
    }
    const json = JSON.stringify(result.answer.body);
    const status = result.httpStatusCodes ? result.answer.status : 200;
    const headers = { ...cors, 'cache-control': 'no-store' };
    if (result.callback !== undefined) {
      send(res, status, { ...headers, 'content-type': 'application/javascript; charset=utf-8' }, `${result.callback}(${json});`);
    } else {
      send(res, status, { ...headers, 'content-type': 'application/json; charset=utf-8' }, json);
    }
    const { errorCode, errorDetails } = result.answer.body as { errorCode: number; errorDetails?: unknown };
    return options.logDetails && typeof errorDetails === 'string' ? `${errorCode} (${errorDetails.slice(0, 300)})` : String(errorCode);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<string> {
    const method = req.method ?? 'GET';
    const rawUrl = req.url ?? '/';
    const q = rawUrl.indexOf('?');
    const path = q === -1 ? rawUrl : rawUrl.slice(0, q);
    const cors = originHeaders(req, path);

    // node:http would answer a request without Host with a bare 400 (requireHostHeader is off for this).
    if (req.headers.host === undefined || req.headers.host === '') {
      res.shouldKeepAlive = false;
      return errorJson(res, cors, 400001, 'Host: missing; HTTP/1.1 requests must name the host they are sent to');
    }
    if (path.startsWith(CONTROL_PREFIX) && isCrossOrigin(req)) {
      return errorJson(res, cors, 403000, `${CONTROL_PREFIX}: the mock's control endpoints answer only requests from its own origin`);
    }
    if (method === 'OPTIONS') {
      const requested = req.headers['access-control-request-headers'];
      send(res, 204, {
        ...cors,
        allow: 'GET, POST, OPTIONS',
        'access-control-allow-methods': 'GET, POST, OPTIONS',
        'access-control-allow-headers': typeof requested === 'string' && requested.length > 0 ? requested : 'content-type, prefer',
        'access-control-max-age': '600',
      }, '');
      return '204';
    }
    const sdkOutcome = webSdk(req, res, path, q === -1 ? '' : rawUrl.slice(q + 1));
    if (sdkOutcome !== undefined) return sdkOutcome;
    if ((method === 'GET' || method === 'HEAD') && path === '/openapi.yaml') {
      send(res, 200, { ...cors, 'content-type': 'text/yaml; charset=utf-8' }, contractText);
      return '200';
    }
    if (docs !== undefined && (method === 'GET' || method === 'HEAD') && (path === '/docs' || path === '/docs/' || path === '/')) {
      if (path === '/') {
        send(res, 302, { ...cors, location: '/docs' }, '');
        return '302';
      }
      const size = statSync(docs, { throwIfNoEntry: false })?.size;
      if (size === undefined) {
        send(res, 404, { 'content-type': 'text/plain; charset=utf-8' }, 'The docs file is gone; run `npm run docs`.\n');
        return '404';
      }
      res.writeHead(200, { ...cors, 'content-type': 'text/html; charset=utf-8', 'content-length': String(size) });
      if (method === 'HEAD') res.end();
      else createReadStream(docs).on('error', () => res.destroy()).pipe(res);
      return '200';
    }
    if (docs === undefined && (method === 'GET' || method === 'HEAD') && (path === '/docs' || path === '/docs/')) {
      return errorJson(res, cors, 404000, `docs: ${docsHint}`);
    }

    const body = await readBody(req);
    if ('aborted' in body) {
      res.destroy();
      return 'aborted';
    }
    let result: ApiResult;
    if ('tooLarge' in body) {
      res.shouldKeepAlive = false;
      result = {
        kind: 'json',
        answer: api.envelope.error({ errorCode: 400001, errorDetails: `body: larger than the limit of ${BODY_LIMIT_BYTES} bytes` }),
        httpStatusCodes: false,
      };
    } else {
      const hostHeader = req.headers.host ?? `${host}:${port}`;
      result = await api.handle({
        method,
        path,
        query: q === -1 ? '' : rawUrl.slice(q + 1),
        headers: req.headers,
        body: body.body,
        url: `http://${hostHeader}${path}`,
      });
    }
    const wait = pause();
    if (wait) await wait;
    if (res.destroyed) return 'closed';
    return sendResult(res, result, cors);
  }

  // Prism's engine loads in the background once the server has been idle for a moment: loading its
  // modules blocks the event loop for a while, and requests that do not need the engine should not wait
  // for that. A request that needs it starts the load itself.
  let loadTimer: NodeJS.Timeout | undefined;
  let closed = false;
  const idleLoad = () => {
    if (loader.started || closed) return;
    clearTimeout(loadTimer);
    loadTimer = setTimeout(() => void loader.get().catch(() => {}), PRISM_LOAD_DELAY_MS);
  };

  const guard = new ConnectionGuard({ max: options.maxConnections ?? defaultMaxConnections(), idleMs: options.idleTimeout ?? 10_000 });
  const server = createServer(
    {
      requestTimeout,
      headersTimeout: Math.min(requestTimeout, 10_000),
      keepAliveTimeout: 5_000,
      connectionsCheckingInterval: Math.min(1_000, requestTimeout),
      requireHostHeader: false,
    },
    (req, res) => {
      const started = log ? performance.now() : 0;
      res.once('close', guard.requestStarted(req.socket));
      idleLoad();
      handle(req, res).then(
        (outcome) => {
          idleLoad();
          if (log) log(`${req.method} ${(req.url ?? '/').split('?', 1)[0]} → ${outcome} ${(performance.now() - started).toFixed(1)} ms`);
        },
        (error: unknown) => {
          // Never reached by design; if it is, answer in Gigya's shape and keep serving.
          if (!res.headersSent && !res.destroyed) {
            const answer = api.envelope.error({ errorCode: 500001, errorDetails: 'mock: internal error' });
            send(res, 200, { 'content-type': 'application/json; charset=utf-8' }, JSON.stringify(answer.body));
          } else {
            res.destroy();
          }
          if (log) log(`${req.method} ${(req.url ?? '/').split('?', 1)[0]} → 500001 internal error: ${error instanceof Error ? error.message : String(error)}`);
        },
      );
    },
  );

  server.on('connection', (socket: Socket) => guard.accept(socket));

  // Requests node:http cannot parse, or that are not complete in time: a Gigya-shaped answer, then close.
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Socket) => {
    const active = (socket as Socket & { _httpMessage?: ServerResponse })._httpMessage;
    if (socket.writable && (!active || !active.headersSent)) {
      const timeout = error.code === 'ERR_HTTP_REQUEST_TIMEOUT';
      const answer = api.envelope.error(
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
    } else {
      socket.destroy();
    }
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  idleLoad();
  const address = server.address() as AddressInfo;
  const urlHost = address.family === 'IPv6' || host.includes(':') ? `[${address.address}]` : host;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${urlHost}:${address.port}`,
    apiKey,
    secret,
    counts: api.counts,
    ready: loader.ready,
    connections: {
      get open() {
        return guard.size;
      },
      closed: guard.closed,
    },
    close() {
      closed = true;
      clearTimeout(loadTimer);
      loader.stop();
      guard.stop();
      closing ??= new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
