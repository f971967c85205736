// Three ways a call can fail, each its own class so that callers can branch with instanceof:
// - InvalidParameterError: refused before anything was sent (a TypeError: the caller's input is wrong);
// - GigyaError: the service answered, with a non-zero errorCode;
// - GigyaTransportError: no usable answer (network failure, timeout, abort, or a body that is not the
//   API's JSON envelope).
// No message ever includes a parameter value, so secrets cannot leak through errors or logs.
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

/** The service answered with a non-zero `errorCode`. */
export class GigyaError extends Error {
  override name = 'GigyaError';
  /** The method called, such as `socialize.setUID`. */
  readonly method: string;
  readonly errorCode: ErrorCode;
  readonly errorMessage: string | undefined;
  readonly errorDetails: string | undefined;
  readonly callId: string | undefined;
  /** The envelope's `statusCode` (HTTP-like), or the transport status when the envelope has none. */
  readonly statusCode: number | undefined;
  /** The whole error envelope, for members such as `validationErrors`, `regToken` or `apiDomain`. */
  readonly body: GigyaErrorBody;

  constructor(method: string, body: GigyaErrorBody, httpStatus?: number) {
    const callId = typeof body.callId === 'string' ? body.callId : undefined;
    const text = typeof body.errorMessage === 'string' ? `: ${body.errorMessage}` : '';
    super(`${method} failed with errorCode ${body.errorCode}${text} (callId ${callId ?? 'none'})`);
    this.method = method;
    this.errorCode = body.errorCode;
    this.errorMessage = typeof body.errorMessage === 'string' ? body.errorMessage : undefined;
    this.errorDetails = typeof body.errorDetails === 'string' ? body.errorDetails : undefined;
    this.callId = callId;
    this.statusCode = typeof body.statusCode === 'number' ? body.statusCode : httpStatus;
    this.body = body;
  }
}

/** Why a call got no usable answer. */
export type TransportFailure = 'network' | 'timeout' | 'aborted' | 'invalid-response';

/** No usable answer: network failure, timeout, abort, or a body that is not the API's JSON envelope. */
export class GigyaTransportError extends Error {
  override name = 'GigyaTransportError';
  readonly method: string;
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
