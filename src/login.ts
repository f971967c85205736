// Reading the result that `socialize.login` appends to redirect_uri. The UID in it is only as good as its
// signature, so the parser verifies UIDSignature before it hands UID back, and checks `state` when asked.
import type { components } from '../generated/schema.js';
import { GigyaError, InvalidParameterError } from './errors.js';
import { timingSafeEqual, validateUIDSignatureWith, type FreshnessOptions, type HmacBackend, type Secret } from './signature.js';

/** What a login redirect carries, as the contract describes it (numbers and booleans already parsed). */
export type LoginRedirectResult = components['schemas']['LoginRedirectResult'];

/** Options of `parseLoginRedirect`. */
export interface ParseLoginRedirectOptions extends FreshnessOptions {
  /** The partner secret, to verify `UIDSignature`. */
  secret: Secret;
  /** The `state` sent with the login; when given, the redirect must carry the same value. */
  state?: string;
}

/** Why a login redirect was refused. */
export type LoginRedirectFailure = 'missing-signature' | 'invalid-signature' | 'state-mismatch';

/** The redirect's result cannot be trusted: signature missing, forged or stale, or `state` not ours. */
export class LoginRedirectError extends Error {
  override name = 'LoginRedirectError';
  readonly reason: LoginRedirectFailure;

  constructor(reason: LoginRedirectFailure, message: string) {
    super(message);
    this.reason = reason;
  }
}

const INTEGER_MEMBERS = new Set(['errorCode', 'expires_in', 'birthDay', 'birthMonth', 'birthYear']);
const BOOLEAN_MEMBERS = new Set(['isNewUser']);

function collect(input: LoginRedirectInput): Map<string, string> {
  const found = new Map<string, string>();
  const add = (params: URLSearchParams) => {
    for (const [name, value] of params) found.set(name, value);
  };
  if (input instanceof URLSearchParams) {
    add(input);
  } else if (typeof input === 'string' || input instanceof URL) {
    const text = String(input);
    // An absolute URL, a path with a query or fragment (what a server framework hands over), or a bare
    // query string.
    if (URL.canParse(text) || /^[/?#]/.test(text)) {
      const url = new URL(text, 'http://redirect.invalid/');
      add(url.searchParams);
      // Token results may come in the fragment (OAuth 2.0 implicit flow); it wins over the query.
      add(new URLSearchParams(url.hash.slice(1)));
    } else {
      add(new URLSearchParams(text));
    }
  } else if (input !== null && typeof input === 'object') {
    for (const [name, value] of Object.entries(input)) if (typeof value === 'string') found.set(name, value);
  } else {
    throw new TypeError('parseLoginRedirect needs the redirect URL, its query, or its parameters.');
  }
  return found;
}

/** The forms a login redirect can be handed over in: the URL, its query, or its parameters. */
export type LoginRedirectInput = string | URL | URLSearchParams | Readonly<Record<string, string>>;

/**
 * Reads the login result from the URL (query and fragment) the browser arrived with at redirect_uri,
 * and verifies it (internal: the entries bind an HMAC backend and export it as parseLoginRedirect).
 */
export async function parseLoginRedirectWith<Key>(
  backend: HmacBackend<Key>,
  urlOrParams: LoginRedirectInput,
  options: ParseLoginRedirectOptions,
): Promise<LoginRedirectResult> {
  if (options === null || typeof options !== 'object' || (typeof options.secret !== 'string' && !(options.secret instanceof Uint8Array))) {
    throw new InvalidParameterError('secret', 'is required to verify the login redirect.');
  }
  const found = collect(urlOrParams);
  const result: Record<string, unknown> = {};
  for (const [name, value] of found) {
    if (INTEGER_MEMBERS.has(name) && /^-?\d{1,15}$/.test(value)) result[name] = Number(value);
    else if (BOOLEAN_MEMBERS.has(name) && (value === 'true' || value === 'false')) result[name] = value === 'true';
    else result[name] = value;
  }

  if (options.state !== undefined) {
    const state = found.get('state');
    if (state === undefined || !timingSafeEqual(state, options.state)) {
      throw new LoginRedirectError('state-mismatch', "The redirect's state is not the one sent with the login.");
    }
  }
  const errorCode = result.errorCode;
  if (errorCode !== undefined && errorCode !== 0) {
    throw new GigyaError('socialize.login', {
      ...result,
      errorCode: typeof errorCode === 'number' ? errorCode : Number.NaN,
    });
  }
  const UID = found.get('UID');
  if (UID !== undefined) {
    const UIDSignature = found.get('UIDSignature');
    const signatureTimestamp = found.get('signatureTimestamp');
    if (UIDSignature === undefined || signatureTimestamp === undefined) {
      throw new LoginRedirectError('missing-signature', 'The redirect has a UID but no UIDSignature and signatureTimestamp.');
    }
    const { secret, maxAgeSeconds, now } = options;
    const valid = await validateUIDSignatureWith(backend, { secret, UID, UIDSignature, signatureTimestamp, maxAgeSeconds, now });
    if (!valid) {
      throw new LoginRedirectError('invalid-signature', "The redirect's UIDSignature is forged or outside the time window.");
    }
  }
  return result as LoginRedirectResult;
}
