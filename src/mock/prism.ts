// Prism's HTTP engine (@stoplight/prism-http), embedded: routing, request validation and example
// selection. Its answers are not sent as they are; they are read (route errors, validation diagnostics,
// the chosen example) and turned into Gigya's envelope by the server.
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { createRequire, Module } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { IHttpOperation } from '@stoplight/types';
import type { IHttpConfig, IHttpRequest, PrismHttpInstance } from '@stoplight/prism-http';
import type { Schema } from './contract.js';
import type { Problem } from './validation.js';

const require = createRequire(import.meta.url);

// Two of Prism's dependencies serve features the mock never uses and are most of its start-up time:
// @faker-js/faker (≈1,900 modules, dynamic mode only) and postman-collection (Postman input only). They
// are registered as lazy stand-ins that load the real module on first use, so nothing breaks if some
// code path ever does need them.
function registerLazy(fromFile: string, id: string): void {
  let path: string;
  try {
    path = createRequire(fromFile).resolve(id);
  } catch {
    return;
  }
  if (require.cache[path]) return;
  const stub = new Module(path);
  stub.filename = path;
  stub.loaded = true;
  let real: Record<string | symbol, unknown> | undefined;
  const load = (): Record<string | symbol, unknown> => {
    if (!real) {
      delete require.cache[path];
      real = require(path) as Record<string | symbol, unknown>;
    }
    return real;
  };
  // Each export is itself a stand-in: json-schema-faker keeps a reference to faker's default export at
  // load time but reads from it only when it generates dynamic data.
  const lazyValue = (key: string | symbol) =>
    new Proxy(function lazy() {}, {
      get: (_target, member) => (load()[key] as Record<string | symbol, unknown>)[member],
      has: (_target, member) => member in (load()[key] as object),
      apply: (_target, self, args) => Reflect.apply(load()[key] as (...a: unknown[]) => unknown, self, args),
      construct: (_target, args) => Reflect.construct(load()[key] as new (...a: unknown[]) => object, args),
    });
  stub.exports = new Proxy(
    {},
    {
      get: (_target, key) => (real ? real[key] : key === '__esModule' ? true : lazyValue(key)),
      has: (_target, key) => key in load(),
      ownKeys: () => Reflect.ownKeys(load()),
      getOwnPropertyDescriptor: (_target, key) => {
        const descriptor = Reflect.getOwnPropertyDescriptor(load(), key);
        return descriptor ? { ...descriptor, configurable: true } : undefined;
      },
    },
  );
  require.cache[path] = stub;
}

type PrismHttp = typeof import('@stoplight/prism-http');
type PrismCore = typeof import('@stoplight/prism-core');

let modules: { http: PrismHttp; core: PrismCore } | undefined;

/**
 * The entry file of package `id` as seen from this module. Node remembers a package.json it could not read
 * (missing, or no file descriptor free at that moment) for the life of the process, so after a failed
 * load its own resolution keeps failing; this looks the package up on disk again.
 */
function entryOf(id: string): string {
  try {
    return require.resolve(id);
  } catch (error) {
    for (let dir = dirname(fileURLToPath(import.meta.url)); ; dir = dirname(dir)) {
      const manifest = join(dir, 'node_modules', id, 'package.json');
      if (existsSync(manifest)) {
        const main = (JSON.parse(readFileSync(manifest, 'utf8')) as { main?: string }).main ?? 'index.js';
        return realpathSync(join(dir, 'node_modules', id, main));
      }
      if (dirname(dir) === dir) throw error;
    }
  }
}

function loadPrism(): { http: PrismHttp; core: PrismCore } {
  if (!modules) {
    const httpEntry = entryOf('@stoplight/prism-http');
    registerLazy(httpEntry, '@faker-js/faker');
    registerLazy(createRequire(httpEntry).resolve('@stoplight/http-spec/postman/operation'), 'postman-collection');
    modules = { http: require(httpEntry) as PrismHttp, core: require(entryOf('@stoplight/prism-core')) as PrismCore };
  }
  return modules;
}

/** What Prism made of one request. */
export type PrismVerdict =
  | { kind: 'noPath' }
  | { kind: 'noMethod' }
  | { kind: 'unknownExample' }
  | { kind: 'invalid'; problems: Problem[] }
  | { kind: 'valid'; example: unknown }
  | { kind: 'failure'; message: string };

export interface PrismRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  body?: string;
}

const PREFIX = /^Request (?:body|query|header|path)(?: (?:property|parameter) \S+)? ?/;

/** Prism's diagnostics in the mock's Problem shape. */
function problemsOf(diagnostics: ReadonlyArray<{ path?: string[]; code?: string | number; message: string; severity: number }>): Problem[] {
  const out: Problem[] = [];
  for (const d of diagnostics) {
    if (d.severity !== 0) continue; // errors only; warnings do not make a request invalid
    const code = String(d.code ?? '');
    if (code === '415') {
      out.push({ path: [], keyword: 'contentType', message: d.message });
      continue;
    }
    const path = (d.path ?? []).slice(1);
    if (code === 'required' && d.path === undefined) {
      out.push({ path: [], keyword: 'bodyRequired', message: d.message });
      continue;
    }
    let message = d.message.replace(PREFIX, '');
    if (code === 'required') {
      const missing = /required property '([^']+)'/.exec(d.message)?.[1] ?? '';
      out.push({ path, keyword: 'required', missing, message });
      continue;
    }
    if (code === 'pattern' && message.includes('^[\\x00-\\x7F]+$')) message = 'must contain ASCII characters only';
    const allowed = /^must be equal to one of the allowed values: (.*)$/.exec(message);
    if (allowed) message = `must be one of: ${allowed[1]}`;
    out.push({ path, keyword: code, message });
  }
  return out;
}

export class PrismEngine {
  private constructor(
    private readonly instance: PrismHttpInstance,
    private readonly operations: IHttpOperation[],
    private readonly config: IHttpConfig,
  ) {}

  /** Loads Prism and reads the (relaxed) contract into its operations. */
  static async create(document: Schema): Promise<PrismEngine> {
    const { http, core } = loadPrism();
    const operations = await http.getHttpOperationsFromSpec(structuredClone(document));
    const config: IHttpConfig = {
      mock: { dynamic: false },
      checkSecurity: false,
      validateRequest: true,
      validateResponse: false,
      errors: false,
      upstreamProxy: undefined,
      isProxy: false,
    };
    const logger = core.createLogger('MOCK', { level: 'silent' });
    return new PrismEngine(http.createInstance(config, { logger }), operations, config);
  }

  async run(request: PrismRequest, exampleKey?: string): Promise<PrismVerdict> {
    const input: IHttpRequest = {
      method: request.method.toLowerCase() as IHttpRequest['method'],
      url: { path: request.path, query: request.query },
      headers: request.headers,
      ...(request.body === undefined ? {} : { body: request.body }),
    };
    const config = { ...this.config, mock: { dynamic: false, ...(exampleKey === undefined ? {} : { exampleKey }) } };
    let result: Awaited<ReturnType<ReturnType<PrismHttpInstance['request']>>>;
    try {
      result = await this.instance.request(input, this.operations, config)();
    } catch (error) {
      return { kind: 'failure', message: error instanceof Error ? error.message : String(error) };
    }
    if (result._tag === 'Left') {
      const name = result.left.name;
      if (name.endsWith('#NO_PATH_MATCHED_ERROR')) return { kind: 'noPath' };
      if (name.endsWith('#NO_METHOD_MATCHED_ERROR')) return { kind: 'noMethod' };
      if (name.endsWith('#NOT_FOUND') && exampleKey !== undefined) return { kind: 'unknownExample' };
      if (name.endsWith('#UNPROCESSABLE_ENTITY') || name.endsWith('#INVALID_CONTENT_TYPE')) {
        const additional = (result.left as { additional?: { validation?: unknown } }).additional;
        const validation = Array.isArray(additional?.validation) ? additional.validation : [];
        return {
          kind: 'invalid',
          problems: problemsOf(
            validation.map((v: { location?: string[]; code?: string; message: string }) => ({ ...v, path: v.location, severity: 0 })),
          ),
        };
      }
      return { kind: 'failure', message: result.left.message };
    }
    const problems = problemsOf(result.right.validations.input);
    if (problems.length > 0) return { kind: 'invalid', problems };
    return { kind: 'valid', example: result.right.output.body };
  }
}

/** Milliseconds before the first retry of a failed engine load; each further failure doubles it, up to the max. */
const ENGINE_RETRY_FIRST_MS = 1_000;
const ENGINE_RETRY_MAX_MS = 30_000;

/**
 * Loads Prism's engine once, on first use, and again after a failure. A load can fail for reasons that
 * pass (no file descriptor free while a flood of connections holds them all: "Cannot find module …"), so
 * a failure never takes the server down: callers get the failure at once while a retry is scheduled, and
 * `ready` resolves on the first load that succeeds.
 */
export class EngineLoader {
  private loading: Promise<PrismEngine> | undefined;
  private failure: { error: Error; retryAt: number } | undefined;
  private retryMs = ENGINE_RETRY_FIRST_MS;
  private retryTimer: NodeJS.Timeout | undefined;
  private stopped = false;
  private loaded!: () => void;
  /** Resolves once the engine has loaded. */
  readonly ready = new Promise<void>((resolve) => (this.loaded = resolve));

  constructor(
    private readonly document: Schema,
    private readonly onFailure: (error: Error, retryInMs: number) => void = () => {},
  ) {}

  /** The engine; rejects with the last load's error while a retry is pending. */
  get(): Promise<PrismEngine> {
    if (this.loading) return this.loading;
    if (this.failure) return Promise.reject(this.failure.error);
    const attempt = PrismEngine.create(this.document);
    this.loading = attempt;
    attempt.then(
      () => {
        this.failure = undefined;
        this.loaded();
      },
      (reason: unknown) => {
        const error = reason instanceof Error ? reason : new Error(String(reason));
        this.loading = undefined;
        if (this.stopped) return;
        const wait = this.retryMs;
        this.retryMs = Math.min(2 * this.retryMs, ENGINE_RETRY_MAX_MS);
        this.failure = { error, retryAt: Date.now() + wait };
        this.onFailure(error, wait);
        this.retryTimer = setTimeout(() => {
          this.failure = undefined;
          this.get().catch(() => {}); // reported through onFailure
        }, wait);
        this.retryTimer.unref();
      },
    );
    return attempt;
  }

  /** Whether a load was started (or has finished). */
  get started(): boolean {
    return this.loading !== undefined || this.failure !== undefined;
  }

  /** Seconds until the next attempt, while one is pending. */
  retryInSeconds(): number | undefined {
    return this.failure ? Math.max(0, Math.ceil((this.failure.retryAt - Date.now()) / 1000)) : undefined;
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.retryTimer);
  }
}
