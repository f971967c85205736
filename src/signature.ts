// Gigya's signatures: every one is Base64(HMAC-SHA1(key = Base64Decode(secret), message = UTF-8(base
// string))). The checks, base strings and key cache live here once; the HMAC itself comes from a backend
// (hmac-web.ts: Web Crypto, for browsers and edge runtimes; hmac-node.ts: node:crypto, on Node, Deno and
// Bun), which each package entry (index.ts, index.node.ts) binds to the public helpers.
// Secrets are never echoed: errors name the parameter and say what is wrong with it, nothing more.
import { InvalidParameterError } from './errors.js';
import { formFields, isWellFormedUtf16 } from './form.js';

/**
 * A Gigya secret: the standard Base64 text the console shows (padding optional), or the decoded key bytes
 * (for keys kept in binary form, or secrets some other tool decoded).
 */
export type Secret = string | Uint8Array;

/** Unix time in seconds, as a number or a decimal string. */
export type UnixSeconds = number | string;

/** The default freshness window for UID and friend signatures, in seconds (PHP SDK and others). */
export const DEFAULT_MAX_AGE_SECONDS = 180;

// A seconds value this large is the year 5138; a millisecond clock passed it in 1973. Anything above is a
// mixed-up unit, and saying so is kinder than a signature that silently never validates.
const MILLISECONDS_THRESHOLD = 1e11;

// Standard alphabet, padding optional (Gigya's consoles show padded secrets; the Android SDK's test secret
// is unpadded). A length of 4n+1 cannot be Base64 at all.
const BASE64_SECRET = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}(?:==)?|[A-Za-z0-9+/]{3}=?)?$/;
// An HMAC-SHA1 value is 20 bytes: 27 Base64 characters, the last one carrying two zero bits, then one "=".
const BASE64_SHA1 = /^[A-Za-z0-9+/]{26}[AEIMQUYcgkosw048]=?$/;

const encoder = /* @__PURE__ */ new TextEncoder();

/** Standard padded Base64 of bytes (internal: the Web Crypto backend). */
export function bytesToBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i++) binary += String.fromCharCode(bytes[i]!);
  return btoa(binary);
}

/** Bytes of standard Base64 text (internal: the Web Crypto backend). */
export function base64ToBytes(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

// Decodes a Gigya secret (standard Base64, padding optional); throws a TypeError naming `name`.
function decodeSecret(secret: unknown, name: string): Uint8Array<ArrayBuffer> {
  if (typeof secret !== 'string' || secret.length === 0) {
    throw new InvalidParameterError(name, 'must be the Base64 secret as the Gigya console shows it.');
  }
  if (!BASE64_SECRET.test(secret)) {
    throw new InvalidParameterError(
      name,
      'must be the Base64 secret as the Gigya console shows it (A-Z a-z 0-9 + /, padding optional).',
    );
  }
  return base64ToBytes(secret);
}

/**
 * How an HMAC-SHA1 backend (Web Crypto, node:crypto) turns a secret into its key and signs with it. The
 * shared code checks the inputs; the backend only computes.
 */
export interface HmacBackend<Key> {
  /** Imports decoded key bytes (a copy the backend may keep). */
  importKey(raw: Uint8Array<ArrayBuffer>): Key;
  /** Base64 HMAC-SHA1 of the message's UTF-8 bytes. */
  sign(key: Key, message: string): string | Promise<string>;
  /** True when the 20 `expected` bytes are the HMAC of the message, compared in constant time. */
  verify(key: Key, message: string, expected: Uint8Array<ArrayBuffer>): boolean | Promise<boolean>;
  /** The most recently used keys by secret text (see keyFor). */
  cache: Map<string, Key>;
}

// Importing a key costs more than one HMAC, and servers sign with one or two secrets over and over, so keep
// the most recently used keys. The bound stops a server that validates with many user-key secrets from
// growing without limit. The cache is keyed by the secret text itself.
const KEY_CACHE_LIMIT = 32;
function keyFor<Key>(backend: HmacBackend<Key>, secret: Secret, name: string): Key {
  if (secret instanceof Uint8Array) {
    // Byte keys are not cached: the caller may reuse the array for something else.
    if (secret.length === 0) throw new InvalidParameterError(name, 'must not be empty.');
    return backend.importKey(new Uint8Array(secret));
  }
  const { cache } = backend;
  const cached = cache.get(secret);
  if (cached !== undefined) {
    if (cache.size > 1) {
      cache.delete(secret);
      cache.set(secret, cached);
    }
    return cached;
  }
  const key = backend.importKey(decodeSecret(secret, name));
  cache.set(secret, key);
  if (cache.size > KEY_CACHE_LIMIT) cache.delete(cache.keys().next().value!);
  return key;
}

/** Checks a secret (Base64 text or non-empty key bytes) without using it; throws an InvalidParameterError naming `name`. */
export function assertSecret(secret: unknown, name = 'secret'): void {
  if (secret instanceof Uint8Array) {
    if (secret.length === 0) throw new InvalidParameterError(name, 'must not be empty.');
  } else if (typeof secret !== 'string' || secret.length === 0 || !BASE64_SECRET.test(secret)) {
    decodeSecret(secret, name);
  }
}

function requireString(value: unknown, name: string): string {
  if (typeof value !== 'string') throw new InvalidParameterError(name, 'must be a string.');
  if (!isWellFormedUtf16(value)) throw new InvalidParameterError(name, 'holds a lone UTF-16 surrogate, which has no UTF-8 form.');
  return value;
}

/** The current time in Unix seconds. */
export function nowInSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

/** Reads a caller-supplied Unix time in seconds; throws a TypeError naming `name`, with a hint for milliseconds. */
export function toUnixSeconds(value: unknown, name: string): number {
  let seconds: number;
  if (typeof value === 'number') seconds = value;
  else if (typeof value === 'string' && /^\d{1,16}$/.test(value)) seconds = Number(value);
  else throw new InvalidParameterError(name, 'must be Unix seconds: a whole number or a decimal string.');
  if (!Number.isSafeInteger(seconds) || seconds < 0) {
    throw new InvalidParameterError(name, 'must be Unix seconds: a whole number or a decimal string.');
  }
  if (seconds >= MILLISECONDS_THRESHOLD) {
    throw new InvalidParameterError(name, 'looks like milliseconds; Gigya uses Unix seconds (Math.floor(Date.now() / 1000)).');
  }
  return seconds;
}

/**
 * Percent-encodes as RFC 3986 and Gigya's SDKs do for signatures: `A-Z a-z 0-9 - _ . ~` stay, every other
 * UTF-8 byte becomes `%XX` with upper-case hex (a space is `%20`, never `+`).
 */
export function encodeRfc3986(value: string): string {
  if (!isWellFormedUtf16(value)) throw new InvalidParameterError('value', 'holds a lone UTF-16 surrogate, which has no UTF-8 form.');
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/**
 * Normalizes a request URL for signing: lower-case scheme and host, the port only when it is neither 80
 * nor 443, then the path; no query string or fragment.
 */
export function normalizeUrl(url: string | URL): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch (cause) {
    throw new InvalidParameterError('url', 'must be an absolute http(s) URL.', { cause });
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw new InvalidParameterError('url', 'must be an absolute http(s) URL.');
  }
  const port = parsed.port === '' || parsed.port === '80' || parsed.port === '443' ? '' : `:${parsed.port}`;
  return `${parsed.protocol}//${parsed.hostname.toLowerCase()}${port}${parsed.pathname}`;
}

/** What a request signature covers. */
export interface SignedRequestInput {
  /** The HTTP method actually used (Gigya's SDKs always POST). */
  method: string;
  /** The full request URL; only scheme, host, port and path count. */
  url: string | URL;
  /**
   * Every parameter sent, encoded by the same rules as the form body (see form.ts). A `sig` entry is
   * ignored; a `secret` entry is refused, because a signed request never carries the secret.
   */
  params: Readonly<Record<string, unknown>>;
}

/**
 * Builds the OAuth1-style base string Gigya signs: `METHOD&enc(normalizedUrl)&enc(k=enc(v)&…)`, parameters
 * sorted by name in ordinal (UTF-16 code unit) order.
 */
export function buildBaseString({ method, url, params }: SignedRequestInput): string {
  if (typeof method !== 'string' || !/^[A-Za-z]+$/.test(method)) {
    throw new InvalidParameterError('method', 'must be an HTTP method name such as "POST".');
  }
  if (params === null || typeof params !== 'object') throw new InvalidParameterError('params', 'must be an object.');
  if (Object.hasOwn(params, 'secret') && params.secret !== undefined) {
    throw new InvalidParameterError('params', 'must not include secret: a signed request never sends it.');
  }
  const fields = formFields(params).filter(([name]) => name !== 'sig');
  fields.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const query = fields.map(([name, value]) => `${encodeRfc3986(name)}=${encodeRfc3986(value)}`).join('&');
  return `${method.toUpperCase()}&${encodeRfc3986(normalizeUrl(url))}&${encodeRfc3986(query)}`;
}

/** HMAC-SHA1 of the UTF-8 message under the secret, as standard padded Base64 (internal: entries bind a backend). */
export async function hmacSha1With<Key>(backend: HmacBackend<Key>, secret: Secret, message: string, secretName = 'secret'): Promise<string> {
  const key = keyFor(backend, secret, secretName);
  return backend.sign(key, requireString(message, 'message'));
}

/**
 * Checks a Base64 HMAC-SHA1 signature over the UTF-8 message in constant time (internal: entries bind a
 * backend). Anything that is not the canonical Base64 of 20 bytes is simply not a valid signature.
 */
export async function verifyHmacSha1With<Key>(
  backend: HmacBackend<Key>,
  secret: Secret,
  message: string,
  signature: string,
  secretName = 'secret',
): Promise<boolean> {
  const key = keyFor(backend, secret, secretName);
  const data = requireString(message, 'message');
  if (typeof signature !== 'string' || !BASE64_SHA1.test(signature)) return false;
  return backend.verify(key, data, base64ToBytes(signature));
}

/**
 * Compares two strings (as UTF-8) or byte arrays in time that depends only on their lengths; throws an
 * InvalidParameterError (a TypeError) naming `a` or `b` for anything else.
 */
export function timingSafeEqual(a: string | Uint8Array, b: string | Uint8Array): boolean {
  const x = comparable(a, 'a');
  const y = comparable(b, 'b');
  if (x.length !== y.length) return false;
  let diff = 0;
  for (let i = 0; i < x.length; i++) diff |= x[i]! ^ y[i]!;
  return diff === 0;
}

function comparable(value: unknown, name: string): Uint8Array {
  if (value instanceof Uint8Array) return value;
  if (typeof value === 'string') return encoder.encode(requireString(value, name));
  throw new InvalidParameterError(name, `must be a string or a Uint8Array (got ${value === null ? 'null' : typeof value}).`);
}

/** Input of `signRequest`. */
export interface SignRequestInput extends SignedRequestInput {
  /** The partner secret, or the user key's secret when `params` carries `userKey`. */
  secret: Secret;
}

/**
 * Computes the `sig` of a signed REST request over exactly the given parameters (add `timestamp` and
 * `nonce` yourself; the client does so when it signs).
 */
export async function signRequestWith<Key>(backend: HmacBackend<Key>, { secret, method, url, params }: SignRequestInput): Promise<string> {
  return hmacSha1With(backend, secret, buildBaseString({ method, url, params }));
}

/** Input of `createUIDSignature`. */
export interface CreateUIDSignatureInput {
  /** The partner secret. */
  secret: Secret;
  /** The site's own user ID: ASCII, at most 252 characters. */
  siteUID: string;
  /** Unix seconds; defaults to now. */
  timestamp?: UnixSeconds;
}

/** A UIDSig and the timestamp it covers, ready to pass to setUID, notifyRegistration or notifyLogin. */
export interface UIDSignature {
  UIDSig: string;
  UIDTimestamp: string;
}

/** Checks what the contract states for certain about a siteUID; throws an InvalidParameterError (a TypeError). */
export function assertSiteUID(siteUID: unknown, name = 'siteUID'): asserts siteUID is string {
  if (typeof siteUID !== 'string' || siteUID.length === 0) throw new InvalidParameterError(name, 'must be a non-empty string.');
  if (siteUID.length > 252) {
    throw new InvalidParameterError(name, `must be at most 252 characters (got ${siteUID.length}).`);
  }
  if (!/^[\x00-\x7F]*$/.test(siteUID)) throw new InvalidParameterError(name, 'must contain ASCII characters only.');
}

/**
 * Signs a site user ID for a client-side setUID / notifyRegistration / notifyLogin call:
 * `UIDSig = Base64(HMAC-SHA1(secret, UIDTimestamp + "_" + siteUID))`.
 */
export async function createUIDSignatureWith<Key>(
  backend: HmacBackend<Key>,
  { secret, siteUID, timestamp }: CreateUIDSignatureInput,
): Promise<UIDSignature> {
  assertSiteUID(siteUID);
  const seconds = timestamp === undefined ? nowInSeconds() : toUnixSeconds(timestamp, 'timestamp');
  const UIDTimestamp = String(seconds);
  const UIDSig = await hmacSha1With(backend, secret, `${UIDTimestamp}_${siteUID}`);
  return { UIDSig, UIDTimestamp };
}

/** Freshness options shared by the validators. */
export interface FreshnessOptions {
  /** How far (either direction) the signature's timestamp may be from `now`; default 180 seconds. */
  maxAgeSeconds?: number;
  /** The current time in Unix seconds; defaults to the system clock. */
  now?: number;
}

/** Input of `validateUIDSignature`. */
export interface ValidateUIDSignatureInput extends FreshnessOptions {
  /** The partner secret. */
  secret: Secret;
  UID: string;
  /** The `UIDSignature` Gigya returned. */
  UIDSignature: string;
  /** The `signatureTimestamp` Gigya returned (Unix seconds). */
  signatureTimestamp: UnixSeconds;
}

// Returns the timestamp text to sign over, or undefined when it is outside the window or malformed (wire
// data, so malformed means "not valid", not an exception). Millisecond values still throw, to catch a unit
// mix-up early.
function freshTimestamp(
  signatureTimestamp: unknown,
  { maxAgeSeconds = DEFAULT_MAX_AGE_SECONDS, now }: FreshnessOptions,
): string | undefined {
  if (typeof maxAgeSeconds !== 'number' || !Number.isFinite(maxAgeSeconds) || maxAgeSeconds < 0) {
    throw new InvalidParameterError('maxAgeSeconds', 'must be a finite, non-negative number of seconds.');
  }
  const current = now === undefined ? nowInSeconds() : toUnixSeconds(now, 'now');
  let text: string;
  if (typeof signatureTimestamp === 'number') {
    if (!Number.isSafeInteger(signatureTimestamp) || signatureTimestamp < 0) return undefined;
    text = String(signatureTimestamp);
  } else if (typeof signatureTimestamp === 'string') {
    if (!/^\d{1,16}$/.test(signatureTimestamp)) return undefined;
    text = signatureTimestamp;
  } else {
    throw new InvalidParameterError('signatureTimestamp', 'must be Unix seconds: a whole number or a decimal string.');
  }
  const seconds = Number(text);
  if (seconds >= MILLISECONDS_THRESHOLD) {
    throw new InvalidParameterError('signatureTimestamp', 'looks like milliseconds; Gigya uses Unix seconds (Math.floor(Date.now() / 1000)).');
  }
  return Math.abs(current - seconds) <= maxAgeSeconds ? text : undefined;
}

/**
 * Validates a `UIDSignature` (`Base64(HMAC-SHA1(secret, signatureTimestamp + "_" + UID))`) in constant
 * time; false when forged, malformed, or further than `maxAgeSeconds` from `now` in either direction.
 */
export async function validateUIDSignatureWith<Key>(
  backend: HmacBackend<Key>,
  { secret, UID, UIDSignature, signatureTimestamp, ...freshness }: ValidateUIDSignatureInput,
): Promise<boolean> {
  assertSecret(secret);
  requireString(UID, 'UID');
  if (typeof UIDSignature !== 'string') throw new InvalidParameterError('UIDSignature', 'must be a string.');
  const timestamp = freshTimestamp(signatureTimestamp, freshness);
  if (timestamp === undefined) return false;
  return verifyHmacSha1With(backend, secret, `${timestamp}_${UID}`, UIDSignature);
}

/** Input of `validateFriendSignature`. */
export interface ValidateFriendSignatureInput extends FreshnessOptions {
  /** The partner secret. */
  secret: Secret;
  /** The user's UID. */
  UID: string;
  /** The friend's UID. */
  friendUID: string;
  /** The `friendshipSignature` Gigya returned. */
  signature: string;
  /** The `signatureTimestamp` Gigya returned (Unix seconds). */
  signatureTimestamp: UnixSeconds;
}

/**
 * Validates a friendship signature (`Base64(HMAC-SHA1(secret, signatureTimestamp + "_" + friendUID + "_" +
 * UID))`) in constant time, with the same window rule as `validateUIDSignature`.
 */
export async function validateFriendSignatureWith<Key>(
  backend: HmacBackend<Key>,
  { secret, UID, friendUID, signature, signatureTimestamp, ...freshness }: ValidateFriendSignatureInput,
): Promise<boolean> {
  assertSecret(secret);
  requireString(UID, 'UID');
  requireString(friendUID, 'friendUID');
  if (typeof signature !== 'string') throw new InvalidParameterError('signature', 'must be a string.');
  const timestamp = freshTimestamp(signatureTimestamp, freshness);
  if (timestamp === undefined) return false;
  return verifyHmacSha1With(backend, secret, `${timestamp}_${friendUID}_${UID}`, signature);
}
