// One call on the wire: the request sent with fetch, the answer read under the call's deadline and the
// size cap, and the answer turned into a resolve, a GigyaError or a GigyaTransportError. openapi-fetch is
// used only when middleware registered on `raw` must see the call (client.ts sets `viaRaw`), so that an app
// without `raw` (lite.ts) does not carry it and a plain call costs what a fetch costs.
// The deadline is the client's own, over the whole call, body included: whatever the transport does with
// the abort signal (Node 20's undici can lose it while a body streams: nodejs/undici#4627), the call
// settles when it is due.
import { GigyaError, GigyaTransportError, InvalidParameterError, type GigyaErrorBody } from './errors.js';

/** An answer as the caller sees it: status and body (text, or what openapi-fetch parsed) (internal). */
interface Answer {
  status: number;
  ok: boolean;
  payload: unknown;
}

/** Reads a fetch Response under the cap and the deadline, and refuses redirects (internal). */
type ReadAnswer = (response: Response) => Promise<Response>;

/** What every call of one client shares (internal). */
export interface Exchange {
  baseUrl: string;
  /** Request headers with lower-case names, content-type included. */
  headers: Record<string, string>;
  userFetch: ((input: Request) => Promise<Response>) | undefined;
  clientSignal: AbortSignal | undefined;
  /** Values the client sends as secrets (and their form-encoded forms), scrubbed from error answers. */
  secrets: readonly string[];
  /** Sends through openapi-fetch's `raw` instead, once middleware is registered there (client.ts). */
  viaRaw?: (
    method: string,
    body: Record<string, unknown>,
    init: { signal?: AbortSignal; headers?: Record<string, string> },
    read: ReadAnswer,
  ) => Promise<Answer>;
}

// A Gigya answer is a few kilobytes; anything past this is not one, and reading it all would let a hostile
// or broken server fill the memory.
const MAX_ANSWER_BYTES = 4 * 1024 * 1024;

const tooLarge = (method: string, status: number) =>
  new GigyaTransportError(method, 'too-large', `the answer exceeds the client's cap of ${MAX_ANSWER_BYTES} bytes`, { status });

/** One call's state as its deadline or an abort may end it (internal). */
interface Watch {
  /** The signal handed to fetch: the caller's (the client's own deadline needs none). */
  signal?: AbortSignal;
  /** Set when the deadline passed or a signal aborted; the call has then settled with it. */
  stopped?: GigyaTransportError;
  /** Cancels the body being read, if any. */
  cancel?: () => void;
}

// Reads the body chunk by chunk, at most the cap (a declared length above it is refused from the headers),
// and lets the deadline cancel the read: an answer that stalls or never ends releases its connection then.
async function readText(response: Response, method: string, watch: Watch): Promise<string> {
  const declared = response.headers.get('content-length');
  if (declared !== null && Number(declared) > MAX_ANSWER_BYTES) {
    response.body?.cancel().catch(() => {});
    throw tooLarge(method, response.status);
  }
  if (response.body === null) return '';
  const reader = response.body.getReader();
  watch.cancel = () => void reader.cancel().catch(() => {});
  if (watch.stopped) watch.cancel();
  try {
    const chunks: Uint8Array[] = [];
    let size = 0;
    for (let next = await reader.read(); !next.done; next = await reader.read()) {
      size += next.value.byteLength;
      if (size > MAX_ANSWER_BYTES) {
        watch.cancel();
        throw tooLarge(method, response.status);
      }
      chunks.push(next.value);
    }
    if (chunks.length === 1) return decoder.decode(chunks[0]);
    const all = new Uint8Array(size);
    let at = 0;
    for (const chunk of chunks) {
      all.set(chunk, at);
      at += chunk.byteLength;
    }
    return decoder.decode(all);
  } finally {
    watch.cancel = undefined;
  }
}

const decoder = /* @__PURE__ */ new TextDecoder();

// The answer's status and text (capped, under the deadline); redirects refused.
async function receive(response: Response, method: string, watch: Watch): Promise<Answer> {
  const { status } = response;
  if (watch.stopped) {
    response.body?.cancel().catch(() => {});
    throw watch.stopped;
  }
  if (response.type === 'opaqueredirect' || (status >= 300 && status < 400)) {
    response.body?.cancel().catch(() => {});
    throw new GigyaTransportError(method, 'invalid-response', `a redirect (HTTP ${status}) is refused: the body it would replay holds credentials`, {
      status,
    });
  }
  return { status, ok: response.ok, payload: await readText(response, method, watch) };
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

function interpret(method: string, { status, payload }: Answer, secrets: readonly string[]): unknown {
  let answer: unknown = payload;
  if (typeof payload === 'string') {
    try {
      answer = JSON.parse(payload);
    } catch (cause) {
      throw new GigyaTransportError(method, 'invalid-response', `the answer is not JSON (HTTP ${status})`, {
        cause,
        status: status,
      });
    }
  }
  if (!isEnvelope(answer)) {
    throw new GigyaTransportError(method, 'invalid-response', `the answer is not a Gigya envelope (HTTP ${status})`, {
      status: status,
    });
  }
  if (answer.errorCode !== 0) throw new GigyaError(method, scrub(answer, secrets) as GigyaErrorBody, status);
  return answer;
}

const lowerCase = (headers: Record<string, string>) =>
  Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));

/** A client's request headers: its own, then the form content type (internal). */
export const baseHeaders = (headers: Record<string, string> | undefined): Record<string, string> => ({
  ...lowerCase(headers ?? {}),
  'content-type': 'application/x-www-form-urlencoded',
});

async function send(session: Exchange, method: string, body: Body, watch: Watch, extra?: Record<string, string>) {
  const { signal } = watch;
  if (session.viaRaw) {
    const read: ReadAnswer = async (response) => {
      const { status, payload } = await receive(response, method, watch);
      return new Response(payload as string, { status, statusText: response.statusText, headers: response.headers });
    };
    return session.viaRaw(method, body.fields, { ...(signal ? { signal } : {}), ...(extra ? { headers: extra } : {}) }, read);
  }
  const url = `${session.baseUrl}/${method}`;
  const headers = extra ? { ...session.headers, ...lowerCase(extra) } : session.headers;
  // Nothing is followed (a 307/308 would replay a body holding a secret): 'manual', and receive() refuses any
  // 3xx; not 'error', with which Node 20's undici can lose the abort signal (nodejs/undici#4627).
  const init: RequestInit = { method: 'POST', headers, body: body.form, redirect: 'manual', ...(signal ? { signal } : {}) };
  const response = await (session.userFetch ? session.userFetch(new Request(url, init)) : globalThis.fetch(url, init));
  return receive(response, method, watch);
}

/** A call's parameters, as an object (for openapi-fetch) and as the encoded form body (internal). */
export interface Body {
  fields: Record<string, unknown>;
  form: string;
}

const NO_SIGNALS: readonly AbortSignal[] = [];

// The calls' deadlines share one timer, armed for the earliest of them: a timer of their own (setTimeout
// and clearTimeout) cost each call more than the rest of the deadline's bookkeeping (docs/DECISIONS.md item
// 29). While a call is pending the timer keeps the process alive, as a call's own timer did; once none is,
// it is unref'd where timers have unref (Node, Bun) and cleared elsewhere, so it never holds a process open.
// Times come from the monotonic clock, which a change of the system time does not move.
interface Deadline {
  at: number;
  stop: () => void;
}
const deadlines = new Set<Deadline>();
let timer: ReturnType<typeof setTimeout> | undefined;
let timerAt = Number.POSITIVE_INFINITY;

function arm(at: number): void {
  if (timer !== undefined) clearTimeout(timer);
  timerAt = at;
  timer = setTimeout(expire, Math.max(0, at - performance.now()));
}

// Stops every call that is due, earliest deadline first (a timer that fires late, on a busy machine, may
// find several due), then arms the timer for the next deadline, if any.
function expire(): void {
  timer = undefined;
  timerAt = Number.POSITIVE_INFINITY;
  const now = performance.now();
  let next = Number.POSITIVE_INFINITY;
  const due: Deadline[] = [];
  for (const deadline of deadlines) {
    if (deadline.at <= now) due.push(deadline);
    else if (deadline.at < next) next = deadline.at;
  }
  due.sort((a, b) => a.at - b.at);
  for (const deadline of due) {
    deadlines.delete(deadline);
    deadline.stop();
  }
  if (next !== Number.POSITIVE_INFINITY) arm(next);
}

function startDeadline(limit: number, stop: () => void): Deadline {
  const deadline = { at: performance.now() + limit, stop };
  deadlines.add(deadline);
  if (deadline.at < timerAt) arm(deadline.at);
  else if (deadlines.size === 1) (timer as { ref?: () => void }).ref?.();
  return deadline;
}

function endDeadline(deadline: Deadline | undefined): void {
  if (deadline === undefined || !deadlines.delete(deadline) || deadlines.size > 0) return;
  const idle = timer as { unref?: () => void } | undefined;
  if (typeof idle?.unref === 'function') idle.unref();
  else {
    clearTimeout(timer);
    timer = undefined;
    timerAt = Number.POSITIVE_INFINITY;
  }
}

/** Sends one call and reads its answer under the deadline `limit` and the callers' signals (internal). */
export async function exchange(
  session: Exchange,
  method: string,
  body: Body,
  limit: number | false,
  options: { signal?: AbortSignal; headers?: Record<string, string> },
): Promise<unknown> {
  const signals =
    session.clientSignal === undefined && options.signal === undefined
      ? NO_SIGNALS
      : [session.clientSignal, options.signal].filter((s): s is AbortSignal => s !== undefined);
  // No AbortController of the client's own (creating one costs about as much as the rest of the client on
  // Node): the deadline settles the call and cancels the body. Two signals are joined into one for fetch.
  const joined = signals.length > 1 ? new AbortController() : undefined;
  const watch: Watch = joined ? { signal: joined.signal } : signals[0] ? { signal: signals[0] } : {};
  // Rejects the call once it is under way; before that, a stop is thrown below.
  let reject: (error: GigyaTransportError) => void = () => {};
  const stop = (reason: 'timeout' | 'aborted') => {
    if (watch.stopped) return;
    const detail = reason === 'timeout' ? `no answer within ${limit} ms` : 'the call was aborted';
    const stopped = new GigyaTransportError(method, reason, detail, {
      cause: new DOMException(detail, reason === 'timeout' ? 'TimeoutError' : 'AbortError'),
    });
    watch.stopped = stopped;
    reject(stopped);
    watch.cancel?.();
    joined?.abort(stopped);
  };
  const relay = () => stop('aborted');
  for (const s of signals) s.addEventListener('abort', relay, { once: true });
  const deadline = limit === false ? undefined : startDeadline(limit, () => stop('timeout'));
  let result: Answer;
  try {
    if (signals.some((s) => s.aborted)) stop('aborted');
    if (watch.stopped) throw watch.stopped;
    // One promise settled by the answer or by the deadline or an abort, whichever comes first.
    result = await new Promise<Answer>((resolve, no) => {
      reject = no;
      send(session, method, body, watch, options.headers).then(resolve, no);
    });
  } catch (cause) {
    if (watch.stopped) throw watch.stopped;
    if (cause instanceof GigyaTransportError || cause instanceof InvalidParameterError) throw cause;
    throw new GigyaTransportError(method, 'network', 'no answer (network failure)', { cause });
  } finally {
    endDeadline(deadline);
    for (const s of signals) s.removeEventListener('abort', relay);
  }
  return interpret(method, result, session.secrets);
}
