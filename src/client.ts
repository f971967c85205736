// A thin client over openapi-fetch for the three JSON methods of the socialize API, plus the login URL.
// Parameter and answer types come from generated/schema.ts (the contract), never from a copy here.
// What the client adds: credentials, form encoding (form.ts), checks of what the contract states for
// certain before anything is sent, and turning Gigya's always-200 answers into resolve / GigyaError.
import createClient, { type Client } from 'openapi-fetch';
import type { components, operations, paths } from '../generated/schema.js';
import { GigyaError, GigyaTransportError, InvalidParameterError, type GigyaErrorBody } from './errors.js';
import { formBody, formFields } from './form.js';
import { assertSecret, assertSiteUID, nowInSeconds, signRequest, toUnixSeconds, type Secret } from './signature.js';

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

/** The query parameters of the login URL, less `client_id` (the client's `apiKey`). */
export type LoginUrlParams = Omit<operations['socialize.login']['parameters']['query'], 'client_id'>;

/**
 * How calls authenticate:
 * - `{ secret }` or `{ userKey, secret }`: the secret travels in the form body, over HTTPS only;
 * - `{ secret, sign: true }` or `{ userKey, secret, sign: true }`: the request carries `timestamp`,
 *   `nonce` and `sig` computed from the secret, which never leaves the process;
 * - no credentials: for calls that carry a `UIDSig` made on your server (browsers and apps).
 */
export type SocializeCredentials =
  | { secret: string; userKey?: string; sign?: false }
  | { secret: Secret; userKey?: string; sign: true };

/** Gigya's data centers as the contract lists them, or a full API domain. */
export type DataCenter = 'us1' | 'eu1' | 'eu2' | 'au1' | 'ru1' | 'global' | 'il1' | 'cn1' | (string & {});

/** Per-call transport options. */
export interface CallOptions {
  /** Aborts the call; it then rejects with a GigyaTransportError whose reason is `aborted`. */
  signal?: AbortSignal;
  /** Milliseconds before the call is given up (`false`: never); overrides the client's `timeout`. */
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
  /** Milliseconds before a call is given up; default 30000; `false` for no limit. */
  timeout?: number | false;
}

/** A client for the socialize methods; `raw` is the underlying openapi-fetch client. */
export interface SocializeClient {
  /** Calls `socialize.setUID`; resolves with the success body, rejects with GigyaError on a non-zero errorCode. */
  setUID(params: SocializeParams<'socialize.setUID'>, options?: CallOptions): Promise<SocializeSuccess<'socialize.setUID'>>;
  /** Calls `socialize.notifyRegistration`; resolves with the success body, rejects with GigyaError. */
  notifyRegistration(
    params: SocializeParams<'socialize.notifyRegistration'>,
    options?: CallOptions,
  ): Promise<SocializeSuccess<'socialize.notifyRegistration'>>;
  /** Calls `socialize.notifyLogin`; resolves with the success body (session data), rejects with GigyaError. */
  notifyLogin(
    params: SocializeParams<'socialize.notifyLogin'>,
    options?: CallOptions,
  ): Promise<SocializeSuccess<'socialize.notifyLogin'>>;
  /** Builds the `socialize.login` URL to send the user's browser to (`client_id` is the apiKey). */
  loginUrl(params: LoginUrlParams): string;
  /** The underlying openapi-fetch client (same base URL, fetch, headers and form serializer). */
  raw: Client<paths>;
}

const DEFAULT_TIMEOUT_MS = 30_000;
const FORM = 'application/x-www-form-urlencoded';
const CLIENT_FILLED = new Set<string>(['apiKey', 'userKey', 'secret', 'timestamp', 'nonce', 'sig', 'oauth_token', 'format']);
const HMAC_BASE64 = /^[A-Za-z0-9+/]{27}=$/;

/** True for hosts a secret may reach over plain HTTP: this machine only. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase();
  return host === 'localhost' || host.endsWith('.localhost') || host === '[::1]' || /^127(?:\.\d{1,3}){3}$/.test(host);
}

function resolveBaseUrl(options: SocializeClientOptions): URL {
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

function checkCid(params: Record<string, unknown>, name: string): void {
  const cid = params[name];
  if (cid !== undefined && (typeof cid !== 'string' || cid.length > 100)) {
    throw new InvalidParameterError(name, 'must be a string of at most 100 characters.');
  }
}

// What the contract states for certain, checked before anything is sent. The server would refuse the
// rest; these are the cases where it is cheaper and clearer to refuse here, naming the parameter.
function checkParams(method: SocializeMethod, params: Record<string, unknown>, authenticated: boolean): void {
  if (params === null || typeof params !== 'object' || Array.isArray(params)) {
    throw new InvalidParameterError('params', 'must be an object of form parameters.');
  }
  for (const name of Object.keys(params)) {
    if (CLIENT_FILLED.has(name) && params[name] !== undefined) {
      throw new InvalidParameterError(name, 'comes from the client\'s options; do not pass it per call.');
    }
  }
  const { siteUID, UIDSig, UIDTimestamp, providerSessions, userInfo } = params;
  if (method === 'socialize.setUID' || siteUID !== undefined) assertSiteUID(siteUID);
  checkCid(params, 'cid');
  if ((UIDSig === undefined) !== (UIDTimestamp === undefined)) {
    const [missing, given] = UIDSig === undefined ? ['UIDSig', 'UIDTimestamp'] : ['UIDTimestamp', 'UIDSig'];
    throw new InvalidParameterError(missing, `is required with ${given}; the two go together.`);
  }
  if (UIDTimestamp !== undefined) toUnixSeconds(UIDTimestamp, 'UIDTimestamp');
  if (UIDSig !== undefined && (typeof UIDSig !== 'string' || !HMAC_BASE64.test(UIDSig))) {
    throw new InvalidParameterError('UIDSig', 'must be a Base64 HMAC-SHA1 value (28 characters).');
  }
  if (method === 'socialize.notifyLogin') {
    if (siteUID === undefined && providerSessions === undefined) {
      throw new InvalidParameterError('siteUID', 'or providerSessions is required by socialize.notifyLogin.');
    }
    if (
      providerSessions !== undefined &&
      (providerSessions === null || typeof providerSessions !== 'object' || Object.keys(providerSessions).length === 0)
    ) {
      throw new InvalidParameterError('providerSessions', 'must be an object with at least one network session.');
    }
    if (userInfo !== undefined && userInfo !== null && typeof userInfo === 'object') {
      const info = userInfo as Record<string, unknown>;
      if (info.thumbnailURL !== undefined && info.photoURL === undefined) {
        throw new InvalidParameterError('userInfo.photoURL', 'must be given with userInfo.thumbnailURL.');
      }
    }
  }
  if (authenticated) {
    if (method !== 'socialize.notifyLogin' && params.UID === undefined) {
      throw new InvalidParameterError('UID', `is required by ${method} with a secret or a signature.`);
    }
  } else if (UIDSig === undefined && (method === 'socialize.setUID' || siteUID !== undefined)) {
    throw new InvalidParameterError(
      'UIDSig',
      `is required by ${method} with siteUID when the client has no credentials (make it with createUIDSignature on your server).`,
    );
  }
}

// A nonce as Gigya's Java SDK makes them (`<ms>_<random>`), with 64 random bits so that concurrent
// calls in one millisecond never collide.
function createNonce(): string {
  const words = crypto.getRandomValues(new Uint32Array(2));
  return `${Date.now()}_${words[0]!.toString(36)}${words[1]!.toString(36)}`;
}

function isEnvelope(body: unknown): body is GigyaErrorBody {
  return body !== null && typeof body === 'object' && typeof (body as { errorCode?: unknown }).errorCode === 'number';
}

// openapi-fetch builds a Request for every call and fetch then takes it apart again; on Node 20 (undici)
// that costs about a third of a loopback round trip. When nothing needs a real Request (the global fetch,
// no middleware), openapi-fetch gets this record of the same URL and init instead, and fetch(url, init).
class PlainRequest {
  constructor(
    readonly url: string,
    readonly init: RequestInit,
  ) {}
  get method(): string {
    return this.init.method ?? 'GET';
  }
}
const FAST_PATH = {
  Request: PlainRequest,
  fetch: (request: PlainRequest) => globalThis.fetch(request.url, request.init),
};

type RawResult = { data?: unknown; error?: unknown; response: Response };
type LoosePost = (path: string, init: Record<string, unknown>) => Promise<RawResult>;

/** Creates a typed client for the socialize methods (see SocializeClientOptions). */
export function createSocializeClient(options: SocializeClientOptions): SocializeClient {
  if (options === null || typeof options !== 'object') throw new InvalidParameterError('options', 'must be an object.');
  const { apiKey, credentials, timeout = DEFAULT_TIMEOUT_MS, signal: clientSignal, headers } = options;
  if (typeof apiKey !== 'string' || apiKey.length === 0) throw new InvalidParameterError('apiKey', 'must be a non-empty string.');
  const base = resolveBaseUrl(options);
  const baseUrl = base.href.replace(/\/+$/, '');
  const insecure = base.protocol === 'http:' && !isLoopbackHost(base.hostname);
  if (credentials !== undefined) {
    if (credentials === null || typeof credentials !== 'object') {
      throw new InvalidParameterError('credentials', 'must be an object: { secret }, { userKey, secret }, either with sign: true.');
    }
    const { secret, userKey, sign } = credentials;
    if (userKey !== undefined && (typeof userKey !== 'string' || userKey.length === 0)) {
      throw new InvalidParameterError('credentials.userKey', 'must be a non-empty string.');
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
  checkTimeout(timeout);
  const baseFetch = options.fetch ?? ((request: Request) => globalThis.fetch(request));

  const raw = createClient<paths>({
    baseUrl,
    fetch: baseFetch,
    headers: { ...headers, 'Content-Type': FORM },
    // Redirects are refused: a 307/308 would replay a body holding a secret to wherever it points.
    redirect: 'error',
    // raw calls get the same rule as the typed methods: no secret in a body bound for plain HTTP.
    bodySerializer: (body: unknown) => {
      if (insecure && (body as Record<string, unknown>).secret !== undefined) {
        throw new InvalidParameterError('secret', 'is never sent over plain HTTP (except to loopback).');
      }
      return formBody(body as Record<string, unknown>);
    },
  });
  const post = raw.POST as unknown as LoosePost;
  // Middleware sees the Request openapi-fetch builds, so once any is registered the calls build real ones.
  let middleware = false;
  const use = raw.use.bind(raw);
  raw.use = (...added) => {
    middleware = true;
    use(...added);
  };
  const fast = options.fetch === undefined ? FAST_PATH : undefined;

  async function call(method: SocializeMethod, params: Record<string, unknown>, callOptions: CallOptions = {}): Promise<unknown> {
    checkParams(method, params, credentials !== undefined);
    const body: Record<string, unknown> = { ...params, apiKey, format: 'json' };
    if (credentials !== undefined) {
      if (credentials.userKey !== undefined) body.userKey = credentials.userKey;
      if (credentials.sign === true) {
        body.timestamp = String(nowInSeconds());
        body.nonce = createNonce();
        body.sig = await signRequest({ secret: credentials.secret, method: 'POST', url: `${baseUrl}/${method}`, params: body });
      } else {
        body.secret = credentials.secret;
      }
    }
    // Encode now so that a bad value is refused here, naming its parameter, rather than mid-request.
    formFields(body);

    const limit = callOptions.timeout ?? timeout;
    if (limit !== timeout) checkTimeout(limit);
    const signals = [clientSignal, callOptions.signal].filter((s): s is AbortSignal => s !== undefined);
    let controller: AbortController | undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let timedOut = false;
    const relay = () => controller!.abort();
    if (limit !== false || signals.length > 0) {
      controller = new AbortController();
      for (const s of signals) {
        if (s.aborted) controller.abort();
        else s.addEventListener('abort', relay, { once: true });
      }
      if (limit !== false) {
        timer = setTimeout(() => {
          timedOut = true;
          controller!.abort();
        }, limit);
      }
    }

    let result: RawResult;
    try {
      if (controller?.signal.aborted) throw new DOMException('The call was aborted before it started.', 'AbortError');
      result = await post(`/${method}`, {
        body,
        parseAs: 'text',
        ...(callOptions.headers ? { headers: callOptions.headers } : {}),
        ...(controller ? { signal: controller.signal } : {}),
        ...(fast && !middleware ? fast : {}),
      });
    } catch (cause) {
      if (timedOut) throw new GigyaTransportError(method, 'timeout', `no answer within ${limit} ms`, { cause });
      if (controller?.signal.aborted) throw new GigyaTransportError(method, 'aborted', 'the call was aborted', { cause });
      throw new GigyaTransportError(method, 'network', 'no answer (network failure)', { cause });
    } finally {
      if (timer !== undefined) clearTimeout(timer);
      for (const s of signals) s.removeEventListener('abort', relay);
    }

    const { response } = result;
    const payload = response.ok ? result.data : result.error;
    let answer: unknown = payload;
    if (typeof payload === 'string') {
      try {
        answer = JSON.parse(payload);
      } catch (cause) {
        throw new GigyaTransportError(method, 'invalid-response', `the answer is not JSON (HTTP ${response.status})`, {
          cause,
          status: response.status,
        });
      }
    }
    if (!isEnvelope(answer)) {
      throw new GigyaTransportError(method, 'invalid-response', `the answer is not a Gigya envelope (HTTP ${response.status})`, {
        status: response.status,
      });
    }
    if (answer.errorCode !== 0) throw new GigyaError(method, answer, response.status);
    return answer;
  }

  function loginUrl(params: LoginUrlParams): string {
    if (params === null || typeof params !== 'object') throw new InvalidParameterError('params', 'must be an object.');
    const query = params as Record<string, unknown>;
    for (const name of ['client_id', 'secret']) {
      if (query[name] !== undefined) {
        throw new InvalidParameterError(name, name === 'secret' ? 'never goes into a URL.' : 'is the client\'s apiKey; do not pass it.');
      }
    }
    const { x_provider, redirect_uri, response_type, state } = query;
    if (typeof x_provider !== 'string' || x_provider.length === 0) throw new InvalidParameterError('x_provider', 'is required.');
    if (typeof redirect_uri !== 'string' || !/^https?:\/\//i.test(redirect_uri) || !URL.canParse(redirect_uri)) {
      throw new InvalidParameterError('redirect_uri', 'must be an absolute http(s) URL.');
    }
    if (response_type !== 'token' && response_type !== 'code') {
      throw new InvalidParameterError('response_type', 'must be "token" or "code".');
    }
    if (state !== undefined && typeof state !== 'string') {
      throw new InvalidParameterError('state', 'must be a string.');
    }
    checkCid(query, 'x_cid');
    const fields = formFields({ ...query, client_id: apiKey });
    return `${baseUrl}/socialize.login?${new URLSearchParams(fields).toString()}`;
  }

  return {
    setUID: (params, o) => call('socialize.setUID', params as Record<string, unknown>, o) as never,
    notifyRegistration: (params, o) => call('socialize.notifyRegistration', params as Record<string, unknown>, o) as never,
    notifyLogin: (params, o) => call('socialize.notifyLogin', params as Record<string, unknown>, o) as never,
    loginUrl,
    raw,
  };
}
