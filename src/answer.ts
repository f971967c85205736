// One call on the wire: the request through openapi-fetch, the answer read under the call's deadline and
// the size cap, and the answer turned into a resolve, a GigyaError or a GigyaTransportError.
// The deadline is the client's own, over the whole call, body included: whatever the transport does with
// the abort signal (Node 20's undici can lose it while a body streams: nodejs/undici#4627), the call
// settles when it is due.
import type { Client } from 'openapi-fetch';
import type { paths } from '../generated/schema.js';
import { GigyaError, GigyaTransportError, InvalidParameterError, type GigyaErrorBody } from './errors.js';

/** What every call of one client shares (internal). */
export interface Exchange {
  raw: Client<paths>;
  userFetch: ((input: Request) => Promise<Response>) | undefined;
  middleware: boolean;
  clientSignal: AbortSignal | undefined;
  /** Values the client sends as secrets (and their form-encoded forms), scrubbed from error answers. */
  secrets: readonly string[];
}

// A Gigya answer is a few kilobytes; anything past this is not one, and reading it all would let a hostile
// or broken server fill the memory.
const MAX_ANSWER_BYTES = 4 * 1024 * 1024;

type RawResult = { data?: unknown; error?: unknown; response: Response };
type LoosePost = (path: string, init: Record<string, unknown>) => Promise<RawResult>;
type Reply = Pick<Response, 'status' | 'ok' | 'headers' | 'text'>;

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

const tooLarge = (method: string, status: number) =>
  new GigyaTransportError(method, 'too-large', `the answer exceeds the client's cap of ${MAX_ANSWER_BYTES} bytes`, { status });

// Reads at most the cap. A declared length is what undici delivers at most, so text() is safe then; a
// chunked body is read chunk by chunk and cancelled as soon as it passes the cap.
async function readText(response: Response, method: string, signal: AbortSignal | undefined): Promise<string> {
  const declared = response.headers.get('content-length');
  if (declared !== null && /^\d+$/.test(declared)) {
    if (Number(declared) > MAX_ANSWER_BYTES) {
      response.body?.cancel().catch(() => {});
      throw tooLarge(method, response.status);
    }
    return response.text();
  }
  if (response.body === null) return '';
  const reader = response.body.getReader();
  const cancel = () => reader.cancel().catch(() => {});
  signal?.addEventListener('abort', cancel, { once: true });
  try {
    const chunks: Uint8Array[] = [];
    let size = 0;
    for (let next = await reader.read(); !next.done; next = await reader.read()) {
      size += next.value.byteLength;
      if (size > MAX_ANSWER_BYTES) {
        cancel();
        throw tooLarge(method, response.status);
      }
      chunks.push(next.value);
    }
    const all = new Uint8Array(size);
    let at = 0;
    for (const chunk of chunks) all.set(chunk, (at += chunk.byteLength) - chunk.byteLength);
    return new TextDecoder().decode(all);
  } finally {
    signal?.removeEventListener('abort', cancel);
  }
}

// The answer as openapi-fetch reads it, with its body already read (capped); a real Response only when
// middleware may look at it.
async function receive(response: Response, method: string, signal: AbortSignal | undefined, real: boolean): Promise<Reply> {
  const { status, headers } = response;
  if (response.type === 'opaqueredirect' || (status >= 300 && status < 400)) {
    response.body?.cancel().catch(() => {});
    throw new GigyaTransportError(method, 'invalid-response', `a redirect (HTTP ${status}) is refused: the body it would replay holds credentials`, {
      status,
    });
  }
  const text = await readText(response, method, signal);
  if (real) return new Response(text, { status, statusText: response.statusText, headers });
  return { status, ok: response.ok, headers, text: () => Promise.resolve(text) };
}

function isEnvelope(body: unknown): body is GigyaErrorBody {
  return body !== null && typeof body === 'object' && typeof (body as { errorCode?: unknown }).errorCode === 'number';
}

// Replaces every secret in the strings of a parsed answer; nesting past a bound is dropped rather than
// walked (the answer comes from the network).
function scrub(value: unknown, secrets: readonly string[], depth = 0): unknown {
  if (typeof value === 'string') {
    return secrets.reduce((text, secret) => (text.includes(secret) ? text.split(secret).join('[secret]') : text), value);
  }
  if (value === null || typeof value !== 'object') return value;
  if (depth > 32) return '[nested too deep]';
  if (Array.isArray(value)) return value.map((item) => scrub(item, secrets, depth + 1));
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [scrub(k, secrets), scrub(v, secrets, depth + 1)]));
}

function interpret(method: string, { data, error, response }: RawResult, secrets: readonly string[]): unknown {
  const payload = response.ok ? data : error;
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
  if (answer.errorCode !== 0) throw new GigyaError(method, scrub(answer, secrets) as GigyaErrorBody, response.status);
  return answer;
}

function send(session: Exchange, method: string, body: Record<string, unknown>, signal: AbortSignal | undefined, headers?: Record<string, string>) {
  const plain = session.userFetch === undefined && !session.middleware;
  const fetchOne = async (request: Request | PlainRequest): Promise<Reply> => {
    const response = await (request instanceof PlainRequest
      ? globalThis.fetch(request.url, request.init)
      : (session.userFetch ?? globalThis.fetch)(request as Request));
    return receive(response, method, signal, session.middleware);
  };
  return (session.raw.POST as unknown as LoosePost)(`/${method}`, {
    body,
    parseAs: 'text',
    fetch: fetchOne,
    ...(headers ? { headers } : {}),
    ...(signal ? { signal } : {}),
    ...(plain ? { Request: PlainRequest } : {}),
  });
}

/** Sends one call and reads its answer under the deadline `limit` and the callers' signals (internal). */
export async function exchange(
  session: Exchange,
  method: string,
  body: Record<string, unknown>,
  limit: number | false,
  options: { signal?: AbortSignal; headers?: Record<string, string> },
): Promise<unknown> {
  const signals = [session.clientSignal, options.signal].filter((s): s is AbortSignal => s !== undefined);
  const controller = limit !== false || signals.length > 0 ? new AbortController() : undefined;
  let stopped: GigyaTransportError | undefined;
  let reject: (error: GigyaTransportError) => void = () => {};
  const due = new Promise<never>((_, no) => (reject = no));
  due.catch(() => {}); // handled by the race below, or never raced when stopped before sending
  const stop = (reason: 'timeout' | 'aborted') => {
    if (stopped) return;
    const detail = reason === 'timeout' ? `no answer within ${limit} ms` : 'the call was aborted';
    stopped = new GigyaTransportError(method, reason, detail, { cause: new DOMException(detail, reason === 'timeout' ? 'TimeoutError' : 'AbortError') });
    reject(stopped);
    controller!.abort(stopped);
  };
  const relay = () => stop('aborted');
  for (const s of signals) s.addEventListener('abort', relay, { once: true });
  const timer = limit === false ? undefined : setTimeout(stop, limit, 'timeout');
  let result: RawResult;
  try {
    if (signals.some((s) => s.aborted)) stop('aborted');
    if (stopped) throw stopped;
    result = await Promise.race([send(session, method, body, controller?.signal, options.headers), due]);
  } catch (cause) {
    if (stopped) throw stopped;
    if (cause instanceof GigyaTransportError || cause instanceof InvalidParameterError) throw cause;
    throw new GigyaTransportError(method, 'network', 'no answer (network failure)', { cause });
  } finally {
    clearTimeout(timer);
    for (const s of signals) s.removeEventListener('abort', relay);
  }
  return interpret(method, result, session.secrets);
}
