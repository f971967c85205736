// Three ways a call can fail, each its own class so that callers can branch with instanceof:
// - InvalidParameterError: refused before anything was sent (a TypeError: the caller's input is wrong);
// - GigyaError: the service answered, with a non-zero errorCode;
// - GigyaTransportError: no usable answer (network failure, timeout, abort, a redirect, an answer over
//   the size cap, or a body that is not the API's JSON envelope).
// No message ever includes a parameter value, so secrets cannot leak through errors or logs; what the
// server says (errorMessage, errorDetails) reaches `message` bounded, after the client scrubbed its secret.
import type { components } from '../generated/schema.js';

/** Gigya's documented error codes, plus any other number the service may send. */
export type ErrorCode = components['schemas']['ErrorCode'] | (number & {});

/** A parameter was refused before the request was sent; `parameter` names it. */
export class InvalidParameterError extends TypeError {
  override name = 'InvalidParameterError';
  /** The offending parameter, as named in the contract. */
  readonly parameter: string;

  constructor(parameter: string, problem: string, options?: ErrorOptions) {
    super(`${parameter} ${problem}`, options);
    this.parameter = parameter;
  }
}

/** The error envelope members that GigyaError exposes. */
export interface GigyaErrorBody {
  errorCode: number;
  errorMessage?: string;
  errorDetails?: string;
  callId?: string;
  statusCode?: number;
  [member: string]: unknown;
}

// A server may put anything in errorMessage and errorDetails (some echo the request); the fields keep it
// all, `message` (what logs print) keeps a readable head.
function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}… (${text.length - max} more characters)` : text;
}

const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/** The service answered with a non-zero `errorCode`. */
export class GigyaError extends Error {
  override name = 'GigyaError';
  /** The method called, such as `socialize.setUID`. */
  readonly method: string;
  /** The envelope's `errorCode`. */
  readonly errorCode: ErrorCode;
  /** The envelope's `errorMessage`, whole. */
  readonly errorMessage: string | undefined;
  /** The envelope's `errorDetails`, whole. */
  readonly errorDetails: string | undefined;
  /** The envelope's `callId`, to quote to SAP support. */
  readonly callId: string | undefined;
  /** The envelope's `statusCode` (HTTP-like), or the transport status when the envelope has none. */
  readonly statusCode: number | undefined;
  /** The whole error envelope, for members such as `validationErrors`, `regToken` or `apiDomain`. */
  readonly body: GigyaErrorBody;

  constructor(method: string, body: GigyaErrorBody, httpStatus?: number) {
    const callId = text(body.callId);
    const errorMessage = text(body.errorMessage);
    const errorDetails = text(body.errorDetails);
    const said = [errorMessage, errorDetails !== errorMessage ? errorDetails : undefined]
      .filter((part): part is string => part !== undefined && part !== '')
      .map((part, i) => clip(part, i === 0 ? 200 : 300));
    super(`${method} failed with errorCode ${body.errorCode}${said.length ? `: ${said.join(' — ')}` : ''} (callId ${callId ?? 'none'})`);
    this.method = method;
    this.errorCode = body.errorCode;
    this.errorMessage = errorMessage;
    this.errorDetails = errorDetails;
    this.callId = callId;
    this.statusCode = typeof body.statusCode === 'number' ? body.statusCode : httpStatus;
    this.body = body;
  }
}

/** Why a call got no usable answer. */
export type TransportFailure = 'network' | 'timeout' | 'aborted' | 'too-large' | 'invalid-response';

/** No usable answer: network failure, timeout, abort, a redirect, an oversized or non-envelope body. */
export class GigyaTransportError extends Error {
  override name = 'GigyaTransportError';
  /** The method called. */
  readonly method: string;
  /** What went wrong. */
  readonly reason: TransportFailure;
  /** The HTTP status, when an answer arrived. */
  readonly status: number | undefined;

  constructor(method: string, reason: TransportFailure, detail: string, options: { cause?: unknown; status?: number } = {}) {
    super(`${method}: ${detail}`, 'cause' in options ? { cause: options.cause } : undefined);
    this.method = method;
    this.reason = reason;
    this.status = options.status;
  }
}
