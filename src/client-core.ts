// The calls of the socialize client for the three JSON methods. Parameter and answer types come from
// generated/schema.ts (the contract), never from a copy here. What the client adds: credentials, form
// encoding (form.ts), checks of what the contract states for certain before anything is sent (params.ts),
// and turning Gigya's always-200 answers into resolve / GigyaError (answer.ts). Request signing and the
// openapi-fetch client `raw` are added by the entry that offers them (client.ts), so that an app which uses
// neither (lite.ts) does not carry them.
import type { components, operations } from '../generated/schema.js';
import { baseHeaders, exchange, type Exchange } from './answer.js';
import { InvalidParameterError } from './errors.js';
import { encodeForm, formFields } from './form.js';
import { checkParams } from './params.js';
import { assertSecret, type Secret } from './signature.js';

/** The JSON methods this client calls. */
export type SocializeMethod = 'socialize.setUID' | 'socialize.notifyRegistration' | 'socialize.notifyLogin';

/** Form fields the client fills in itself from its options: credentials and `format`. */
export type ClientFilledParameter = keyof components['schemas']['Credentials'] | 'format';

// Omit that keeps a union a union (notifyLogin's body is "siteUID or providerSessions").
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** The parameters a method takes: its contract form fields, less those the client fills in. */
export type SocializeParams<M extends SocializeMethod> = DistributiveOmit<
  NonNullable<operations[M]['requestBody']>['content']['application/x-www-form-urlencoded'],
  ClientFilledParameter
>;

/** The contract's answer to a method, success or error. */
export type SocializeAnswer<M extends SocializeMethod> = operations[M]['responses'][200]['content']['application/json'];

/** A method's success body (`errorCode` 0), as the contract describes it. */
export type SocializeSuccess<M extends SocializeMethod> = Extract<SocializeAnswer<M>, { errorCode: 0 }>;

/**
 * How calls authenticate:
 * - `{ secret }` or `{ userKey, secret }`: the secret travels in the form body, over HTTPS only;
 * - `{ secret, sign: true }` or `{ userKey, secret, sign: true }`: the request carries `timestamp`,
 *   `nonce` and `sig` computed from the secret, which never leaves the process;
 * - no credentials: for calls that carry a `UIDSig` made on your server (browsers and apps).
 */
export type SocializeCredentials = { secret: string; userKey?: string; sign?: false } | { secret: Secret; userKey?: string; sign: true };

/** Gigya's data centers as the contract lists them, or a full API domain. */
export type DataCenter = 'us1' | 'eu1' | 'eu2' | 'au1' | 'ru1' | 'global' | 'il1' | 'cn1' | (string & {});

/** Per-call transport options. */
export interface CallOptions {
  /** Aborts the call; it then rejects with a GigyaTransportError whose reason is `aborted`. */
  signal?: AbortSignal;
  /** Milliseconds before the call, answer body included, is given up (`false`: never); overrides the client's `timeout`. */
  timeout?: number | false;
  /** Extra request headers for this call. */
  headers?: Record<string, string>;
}

/** Options of `createSocializeClient`. */
export interface SocializeClientOptions extends Omit<CallOptions, 'timeout'> {
  /** The site's API key. */
  apiKey: string;
  /**
   * Data center: `us1` (default), `eu1`, `eu2`, `au1`, `global`, `ru1`, `il1` (host
   * `socialize.<dc>.gigya.com`), `cn1` (`socialize.cn1.sapcdm.cn`), or a full API domain such as
   * `cn1.gigya-api.cn` (host `socialize.<domain>`).
   */
  dataCenter?: DataCenter;
  /** Base URL instead of a data center, for a mock or a proxy (for example `http://127.0.0.1:4010`). */
  baseUrl?: string;
  /** How calls authenticate (see SocializeCredentials); none for calls that carry a UIDSig. */
  credentials?: SocializeCredentials;
  /** The fetch to use; defaults to the global one. */
  fetch?: (input: Request) => Promise<Response>;
  /** Milliseconds before a call, answer body included, is given up; default 30000; `false` for no limit. */
  timeout?: number | false;
}

/** The calls of a socialize client. */
export interface SocializeCalls {
  /** Calls `socialize.setUID`; resolves with the success body, rejects with GigyaError on a non-zero errorCode. */
  setUID(params: SocializeParams<'socialize.setUID'>, options?: CallOptions): Promise<SocializeSuccess<'socialize.setUID'>>;
  /** Calls `socialize.notifyRegistration`; resolves with the success body, rejects with GigyaError. */
  notifyRegistration(
    params: SocializeParams<'socialize.notifyRegistration'>,
    options?: CallOptions,
  ): Promise<SocializeSuccess<'socialize.notifyRegistration'>>;
  /** Calls `socialize.notifyLogin`; resolves with the success body (session data), rejects with GigyaError. */
  notifyLogin(params: SocializeParams<'socialize.notifyLogin'>, options?: CallOptions): Promise<SocializeSuccess<'socialize.notifyLogin'>>;
}

/** Signs one call: its URL and every form field it sends, to the request's `sig` (internal). */
type CallSigner = (url: string, fields: ReadonlyArray<readonly [string, string]>) => string;

/**
 * Prepares the signing of a client's calls under its (checked) secret, once per client: the key's work is
 * done then, and each call only hashes its base string, synchronously (client.ts; internal).
 */
export type SignerFactory = (secret: Secret) => CallSigner;

const DEFAULT_TIMEOUT_MS = 30_000;

/** True for hosts a secret may reach over plain HTTP: this machine only. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase();
  return host === 'localhost' || host.endsWith('.localhost') || host === '[::1]' || /^127(?:\.\d{1,3}){3}$/.test(host);
}

/** The base URL the options name (data center or baseUrl), checked (internal: the login URL uses it too). */
export function resolveBaseUrl(options: SocializeClientOptions): URL {
  if (options.baseUrl !== undefined && options.dataCenter !== undefined) {
    throw new InvalidParameterError('baseUrl', 'and dataCenter exclude each other; give one.');
  }
  let text: string;
  if (options.baseUrl !== undefined) {
    text = options.baseUrl;
  } else {
    const dc = options.dataCenter ?? 'us1';
    if (typeof dc !== 'string' || !/^[a-z0-9-]+(?:\.[a-z0-9-]+)*$/i.test(dc)) {
      throw new InvalidParameterError('dataCenter', 'must be a data center such as "eu1" or an API domain.');
    }
    // cn1 is the one data center outside gigya.com; the contract's default domain for it is sapcdm.cn.
    text = `https://socialize.${dc.includes('.') ? dc : dc === 'cn1' ? 'cn1.sapcdm.cn' : `${dc}.gigya.com`}`;
  }
  let url: URL;
  try {
    url = new URL(text);
  } catch (cause) {
    throw new InvalidParameterError('baseUrl', 'must be an absolute http(s) URL.', { cause });
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new InvalidParameterError('baseUrl', 'must be an absolute http(s) URL.');
  }
  if (url.search || url.hash || url.username || url.password) {
    throw new InvalidParameterError('baseUrl', 'must not carry a query, fragment or user info.');
  }
  return url;
}

function checkTimeout(timeout: unknown): void {
  if (timeout !== false && (typeof timeout !== 'number' || !(timeout > 0) || timeout > 2_147_483_647)) {
    throw new InvalidParameterError('timeout', 'must be milliseconds (1 to 2^31-1) or false.');
  }
}

function checkCredentials(credentials: SocializeCredentials, insecure: boolean, signer: SignerFactory | undefined): void {
  if (credentials === null || typeof credentials !== 'object') {
    throw new InvalidParameterError('credentials', 'must be an object: { secret }, { userKey, secret }, either with sign: true.');
  }
  const { secret, userKey, sign } = credentials;
  if (userKey !== undefined && (typeof userKey !== 'string' || userKey.length === 0)) {
    throw new InvalidParameterError('credentials.userKey', 'must be a non-empty string.');
  }
  if (sign === true && signer === undefined) {
    throw new InvalidParameterError(
      'credentials.sign',
      'needs request signing, which gigya-socialize-contract/lite leaves out: import createSocializeClient from gigya-socialize-contract.',
    );
  }
  if (sign !== true && (secret as unknown) instanceof Uint8Array) {
    throw new InvalidParameterError('credentials.secret', 'as bytes needs sign: true.');
  }
  assertSecret(secret, 'credentials.secret');
  // The service refuses a secret over HTTP (403006), but by then it has crossed the network.
  if (sign !== true && insecure) {
    throw new InvalidParameterError('baseUrl', 'is plain HTTP: a secret only goes over HTTPS or to loopback; use HTTPS or sign: true.');
  }
}

// A nonce as Gigya's Java SDK makes them (`<ms>_<random>`), with 64 random bits (16 hex digits) so that
// concurrent calls in one millisecond never collide. getRandomValues costs several microseconds a call on
// Node, so random bytes are drawn 4 KiB at a time; hex digits come from a table, which costs a call a
// third of what two toString(36) did.
const randomBytes = /* @__PURE__ */ new Uint8Array(4096);
let nextByte = randomBytes.length;
const HEX = /* @__PURE__ */ Array.from({ length: 256 }, (_, byte) => (byte < 16 ? '0' : '') + byte.toString(16));
function createNonce(nowMs: number): string {
  if (nextByte + 8 > randomBytes.length) {
    crypto.getRandomValues(randomBytes);
    nextByte = 0;
  }
  let nonce = `${nowMs}_`;
  for (let i = 0; i < 8; i++) nonce += HEX[randomBytes[nextByte++]!]!;
  return nonce;
}

// The caller's parameters as a new object, as `{ ...params }` would copy them (own enumerable names, each
// defined, so that a `__proto__` field stays a field). On Node 20 a spread followed by the client's own
// fields cost 1.3–3 µs a call in a loop, these assignments 0.03 µs.
function copyFields(params: Record<string, unknown>): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const name of Object.keys(params)) {
    if (name === '__proto__') Object.defineProperty(body, name, { value: params[name], enumerable: true, writable: true, configurable: true });
    else body[name] = params[name];
  }
  return body;
}

/** The calls of a client (internal: client.ts passes a signer and adds `raw` and loginUrl; lite.ts passes neither). */
export function createSocializeCalls(
  options: SocializeClientOptions,
  signer: SignerFactory | undefined,
  extend?: (session: Exchange) => void,
): SocializeCalls {
  if (options === null || typeof options !== 'object') throw new InvalidParameterError('options', 'must be an object.');
  const { apiKey, credentials, timeout = DEFAULT_TIMEOUT_MS, signal: clientSignal, headers } = options;
  if (typeof apiKey !== 'string' || apiKey.length === 0) throw new InvalidParameterError('apiKey', 'must be a non-empty string.');
  const base = resolveBaseUrl(options);
  const baseUrl = base.href.replace(/\/+$/, '');
  const insecure = base.protocol === 'http:' && !isLoopbackHost(base.hostname);
  if (credentials !== undefined) checkCredentials(credentials, insecure, signer);
  checkTimeout(timeout);
  const sign = credentials?.sign === true ? signer!(credentials.secret) : undefined;

  const session: Exchange = {
    baseUrl,
    headers: baseHeaders(headers),
    userFetch: options.fetch,
    clientSignal,
    // What the client sent as a secret, to scrub from error answers that echo the request.
    secrets: credentials && typeof credentials.secret === 'string' ? [credentials.secret, encodeURIComponent(credentials.secret)] : [],
  };
  extend?.(session);

  async function call(method: SocializeMethod, params: Record<string, unknown>, callOptions: CallOptions = {}): Promise<unknown> {
    checkParams(method, params, credentials !== undefined);
    const body = copyFields(params);
    body.apiKey = apiKey;
    body.format = 'json';
    if (credentials !== undefined) {
      if (credentials.userKey !== undefined) body.userKey = credentials.userKey;
      if (sign !== undefined) {
        // One reading of the clock for both, so that the nonce's milliseconds fall within the timestamp's second.
        const nowMs = Date.now();
        body.timestamp = String(Math.floor(nowMs / 1000));
        body.nonce = createNonce(nowMs);
      } else {
        body.secret = credentials.secret;
      }
    }
    // Encode now so that a bad value is refused here, naming its parameter, rather than mid-request; the
    // signature covers exactly these fields.
    const fields = formFields(body);
    if (sign !== undefined) {
      body.sig = sign(`${baseUrl}/${method}`, fields);
      fields.push(['sig', body.sig as string]);
    }
    const form = encodeForm(fields);
    const limit = callOptions.timeout ?? timeout;
    if (limit !== timeout) checkTimeout(limit);
    return exchange(session, method, { fields: body, form }, limit, callOptions);
  }

  return {
    setUID: (params, o) => call('socialize.setUID', params as Record<string, unknown>, o) as never,
    notifyRegistration: (params, o) => call('socialize.notifyRegistration', params as Record<string, unknown>, o) as never,
    notifyLogin: (params, o) => call('socialize.notifyLogin', params as Record<string, unknown>, o) as never,
  };
}
