// Gigya's answer envelope: every answer carries callId, errorCode, statusCode, statusReason and time, and
// errors add errorMessage (from the contract's ErrorCode catalogue) and errorDetails (naming the
// parameter). The HTTP status is 200 unless the request asked for `httpStatusCodes=true`.
import { randomFillSync } from 'node:crypto';
import { STATUS_CODES } from 'node:http';

/** The API version Gigya reports in `apiVersion`. */
const API_VERSION = 2;

// Random bytes for callIds, 16 per ID, drawn from a pool that one call to the CSPRNG refills for 256 IDs.
const CALL_ID_BYTES = 16;
const callIdPool = Buffer.alloc(CALL_ID_BYTES * 256);
let callIdOffset = callIdPool.length;

/** A fresh transaction ID: 32 lower-case hex digits. */
function newCallId(): string {
  if (callIdOffset === callIdPool.length) {
    randomFillSync(callIdPool);
    callIdOffset = 0;
  }
  const id = callIdPool.toString('hex', callIdOffset, callIdOffset + CALL_ID_BYTES);
  callIdOffset += CALL_ID_BYTES;
  return id;
}

// The ISO time of the current millisecond, formatted once for all the answers made within it.
let formattedAt = Number.NaN;
let formatted = '';
function isoTime(): string {
  const now = Date.now();
  if (now !== formattedAt) {
    formattedAt = now;
    formatted = new Date(now).toISOString();
  }
  return formatted;
}

/** The HTTP-like status that goes with an errorCode: its first three digits (0 → 200). */
function statusOf(errorCode: number): number {
  if (errorCode === 0) return 200;
  const status = Math.floor(errorCode / 1000);
  return status >= 100 && status <= 599 ? status : 500;
}

/** A JSON answer ready to send. */
export interface Answer {
  /** The body as an object (before serialization). */
  body: Record<string, unknown>;
  /** The status to send when the request had `httpStatusCodes=true`; 200 otherwise. */
  status: number;
}

export interface ErrorSpec {
  errorCode: number;
  errorDetails: string;
  /** Extra members (regToken, apiDomain, …). */
  extra?: Record<string, unknown>;
}

export class Envelopes {
  constructor(private readonly messages: ReadonlyMap<number, string>) {}

  message(errorCode: number): string {
    const message = this.messages.get(errorCode);
    if (message === undefined) throw new Error(`errorCode ${errorCode} is not in the contract's ErrorCode catalogue`);
    return message;
  }

  /** The success envelope, with the method's own members (then `more`: warnings such as ignoredParams). */
  ok(members?: Record<string, unknown>, context?: string, more?: Record<string, unknown>): Answer {
    const body: Record<string, unknown> = {
      callId: newCallId(),
      errorCode: 0,
      apiVersion: API_VERSION,
      statusCode: 200,
      statusReason: 'OK',
      time: isoTime(),
    };
    if (context !== undefined) body.context = context;
    if (members) Object.assign(body, members);
    if (more) Object.assign(body, more);
    return { status: 200, body };
  }

  error({ errorCode, errorDetails, extra }: ErrorSpec, context?: string): Answer {
    const statusCode = statusOf(errorCode);
    return {
      status: statusCode,
      body: {
        callId: newCallId(),
        errorCode,
        errorMessage: this.message(errorCode),
        errorDetails,
        apiVersion: API_VERSION,
        statusCode,
        statusReason: STATUS_CODES[statusCode] ?? 'Error',
        time: isoTime(),
        ...(context === undefined ? {} : { context }),
        ...extra,
      },
    };
  }

  /** A named example of the contract, as a live answer: fresh callId and time, `context` echoed. */
  example(value: Record<string, unknown>, context?: string): Answer {
    const body: Record<string, unknown> = { ...structuredClone(value), callId: newCallId(), time: isoTime() };
    if (context !== undefined) body.context = context;
    const statusCode = typeof body.statusCode === 'number' ? body.statusCode : statusOf(Number(body.errorCode) || 0);
    return { body, status: statusCode };
  }
}
