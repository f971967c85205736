// Gigya's signatures: every one is Base64(HMAC-SHA1(key = Base64Decode(secret), message = UTF-8(base
// string))). The checks, base strings and key cache live here once; the HMAC itself comes from a backend
// (hmac-web.ts: Web Crypto, for browsers and edge runtimes; hmac-node.ts: node:crypto, on Node, Deno and
// Bun), which each package entry (index.ts, index.node.ts) binds to the public helpers.
// Secrets are never echoed: errors name the parameter and say what is wrong with it, nothing more.
import { siteUID as SITE_UID } from '../generated/limits.js';
import { InvalidParameterError } from './errors.js';
import { asciiSet, formValue, isWellFormedUtf16, onlyFrom } from './form.js';

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
    throw new InvalidParameterError(name, 'must be the Base64 secret as the Gigya console shows it (A-Z a-z 0-9 + /, padding optional).');
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
  /** True when `signature` (canonical Base64 of 20 bytes, checked) is the HMAC of the message, compared in constant time. */
  verify(key: Key, message: string, signature: string): boolean | Promise<boolean>;
  /** The last keys imported, by secret text (see keyFor). */
  cache: Map<string, Key>;
}

// Importing a key costs more than one HMAC, and servers sign with one or two secrets over and over, so keep
// the last keys imported. The bound stops a server that validates with many user-key secrets from
// growing without limit. The cache is keyed by the secret text itself.
const KEY_CACHE_LIMIT = 32;
function keyFor<Key>(backend: HmacBackend<Key>, secret: Secret, name: string): Key {
  if (secret instanceof Uint8Array) {
    // Byte keys are not cached: the caller may reuse the array for something else.
    if (secret.length === 0) throw new InvalidParameterError(name, 'must not be empty.');
    return backend.importKey(new Uint8Array(secret));
  }
  const { cache } = backend;
  // First in, first out: no bookkeeping on a hit, which is nearly every call.
  const cached = cache.get(secret);
  if (cached !== undefined) return cached;
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
  let encoded: string;
  try {
    encoded = encodeURIComponent(value);
  } catch (cause) {
    // encodeURIComponent refuses exactly the strings without a UTF-8 form: a lone surrogate.
    throw new InvalidParameterError('value', 'holds a lone UTF-16 surrogate, which has no UTF-8 form.', { cause });
  }
  return RFC3986_RESERVED.test(encoded) ? encoded.replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`) : encoded;
}

// What encodeURIComponent leaves alone and RFC 3986 does not.
const RFC3986_RESERVED = /[!'()*]/;

/**
 * Normalizes a request URL for signing: lower-case scheme and host, the port only when it is neither 80
 * nor 443, then the path; no query string or fragment.
 */
export function normalizeUrl(url: string | URL): string {
  const cached = typeof url === 'string' ? normalizedUrls.get(url) : undefined;
  if (cached !== undefined) return cached;
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
  const normalized = `${parsed.protocol}//${parsed.hostname.toLowerCase()}${port}${parsed.pathname}`;
  if (typeof url === 'string') {
    if (normalizedUrls.size >= 16) normalizedUrls.clear();
    normalizedUrls.set(url, normalized);
  }
  return normalized;
}

// Parsing a URL costs as much as the HMAC, and a client signs for the same few URLs over and over.
const normalizedUrls = new Map<string, string>();

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
  if (method !== 'POST' && (typeof method !== 'string' || !/^[A-Za-z]+$/.test(method))) {
    throw new InvalidParameterError('method', 'must be an HTTP method name such as "POST".');
  }
  if (params === null || typeof params !== 'object') throw new InvalidParameterError('params', 'must be an object.');
  if (Object.hasOwn(params, 'secret') && params.secret !== undefined) {
    throw new InvalidParameterError('params', 'must not include secret: a signed request never sends it.');
  }
  if (Array.isArray(params)) throw new InvalidParameterError('params', 'must be a plain object.');
  let query = '';
  for (const name of ordinalOrder(Object.keys(params), nameOf)) {
    if (name === 'sig') continue;
    const value = params[name];
    // An unreserved string (most keys, IDs, nonces, numbers) is its own form text and its own encoding;
    // the rest follow the form encoder's rules (form.ts).
    if (typeof value === 'string' && onlyFrom(value, UNRESERVED)) query = withField(query, name, value);
    else {
      const text = formValue(name, value);
      if (text !== undefined) query = withField(query, name, encodeTwice(text));
    }
  }
  return `${method === 'POST' ? method : method.toUpperCase()}&${signedUrl(url)}&${query}`;
}

/**
 * The base string of a POST to `url` carrying exactly these form fields (from formFields; none named `sig`)
 * (internal: the client signs the fields it then sends).
 */
export function fieldsBaseString(url: string, fields: ReadonlyArray<readonly [string, string]>): string {
  let query = '';
  // A copy is sorted: the body keeps the fields in the order given.
  for (const [name, text] of ordinalOrder(fields.slice(), fieldName)) query = withField(query, name, encodeTwice(text));
  return `POST&${signedUrl(url)}&${query}`;
}

// enc(k=enc(v)&…) is written directly, one field after another: "=" and "&" encoded are %3D and %26, and
// encoding RFC 3986 output again only turns each "%" into "%25". `encoded` is the value encoded twice.
const withField = (query: string, name: string, encoded: string) => `${query}${query ? '%26' : ''}${encodeTwice(name)}%3D${encoded}`;

const nameOf = (name: string) => name;
const fieldName = (field: readonly [string, string]) => field[0];

// Sorts in place by name in UTF-16 code units, the ordinal order Gigya's SDKs sign in (and the default
// order of Array.prototype.sort, which `<` on strings agrees with). A request has a handful of parameters,
// for which an insertion sort takes half the time of the general one. Names are distinct.
function ordinalOrder<T>(items: T[], name: (item: T) => string): T[] {
  if (items.length > 16) return items.sort((a, b) => (name(a) < name(b) ? -1 : 1));
  for (let i = 1; i < items.length; i++) {
    const item = items[i]!;
    const key = name(item);
    let j = i - 1;
    for (; j >= 0 && name(items[j]!) > key; j--) items[j + 1] = items[j]!;
    items[j + 1] = item;
  }
  return items;
}

// enc(normalizeUrl(url)), kept for the few URLs a client signs for over and over.
const signedUrls = new Map<string, string>();
function signedUrl(url: string | URL): string {
  const cached = typeof url === 'string' ? signedUrls.get(url) : undefined;
  if (cached !== undefined) return cached;
  const encoded = encodeRfc3986(normalizeUrl(url));
  if (typeof url === 'string') {
    if (signedUrls.size >= 16) signedUrls.clear();
    signedUrls.set(url, encoded);
  }
  return encoded;
}

// Characters RFC 3986 leaves as they are: most parameter names and values (keys, IDs, nonces, numbers).
const UNRESERVED = /* @__PURE__ */ asciiSet('_.~-');

function encodeTwice(text: string): string {
  return onlyFrom(text, UNRESERVED) ? text : encodeRfc3986(text).replace(/%/g, '%25');
}

// Runs `compute` so that a thrown error becomes a rejection, as from an async function, without the extra
// promise an async function wrapped around a backend's answer costs.
function settle<T>(compute: () => T | Promise<T>): Promise<T> {
  try {
    return Promise.resolve(compute());
  } catch (error) {
    return Promise.reject(error);
  }
}

/** HMAC-SHA1 of the UTF-8 message under the secret, as standard padded Base64 (internal: entries bind a backend). */
export function hmacSha1With<Key>(backend: HmacBackend<Key>, secret: Secret, message: string, secretName = 'secret'): Promise<string> {
  return settle(() => backend.sign(keyFor(backend, secret, secretName), requireString(message, 'message')));
}

// The check itself, on wire data: anything that is not the canonical Base64 of 20 bytes is simply not a
// valid signature.
function verifyWith<Key>(backend: HmacBackend<Key>, secret: Secret, message: string, signature: unknown, secretName: string) {
  const key = keyFor(backend, secret, secretName);
  const data = requireString(message, 'message');
  if (typeof signature !== 'string' || !BASE64_SHA1.test(signature)) return false;
  return backend.verify(key, data, signature);
}

/** Checks a Base64 HMAC-SHA1 signature over the UTF-8 message in constant time (internal: entries bind a backend). */
export function verifyHmacSha1With<Key>(
  backend: HmacBackend<Key>,
  secret: Secret,
  message: string,
  signature: string,
  secretName = 'secret',
): Promise<boolean> {
  return settle(() => verifyWith(backend, secret, message, signature, secretName));
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
export function signRequestWith<Key>(backend: HmacBackend<Key>, input: SignRequestInput): Promise<string> {
  // The base string is percent-encoded ASCII: no UTF-8 check needed.
  return settle(() => backend.sign(keyFor(backend, input?.secret, 'secret'), buildBaseString(input)));
}

/** Input of `createUIDSignature`. */
export interface CreateUIDSignatureInput {
  /** The partner secret. */
  secret: Secret;
  /** The site's own user ID: ASCII, at most 252 characters (generated/limits.ts). */
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
  if (siteUID.length > SITE_UID.maxLength) {
    throw new InvalidParameterError(name, `must be at most ${SITE_UID.maxLength} characters (got ${siteUID.length}).`);
  }
  if (!SITE_UID.pattern.test(siteUID)) throw new InvalidParameterError(name, 'must contain ASCII characters only.');
}

/**
 * Signs a site user ID for a client-side setUID / notifyRegistration / notifyLogin call:
 * `UIDSig = Base64(HMAC-SHA1(secret, UIDTimestamp + "_" + siteUID))`.
 */
export function createUIDSignatureWith<Key>(backend: HmacBackend<Key>, input: CreateUIDSignatureInput): Promise<UIDSignature> {
  return settle(() => {
    const { secret, siteUID, timestamp } = input;
    assertSiteUID(siteUID);
    const UIDTimestamp = String(timestamp === undefined ? nowInSeconds() : toUnixSeconds(timestamp, 'timestamp'));
    // siteUID is ASCII (checked), so the message needs no UTF-8 check.
    const UIDSig = backend.sign(keyFor(backend, secret, 'secret'), `${UIDTimestamp}_${siteUID}`);
    return typeof UIDSig === 'string' ? { UIDSig, UIDTimestamp } : UIDSig.then((sig) => ({ UIDSig: sig, UIDTimestamp }));
  });
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
function freshTimestamp(signatureTimestamp: unknown, { maxAgeSeconds = DEFAULT_MAX_AGE_SECONDS, now }: FreshnessOptions): string | undefined {
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
export function validateUIDSignatureWith<Key>(backend: HmacBackend<Key>, input: ValidateUIDSignatureInput): Promise<boolean> {
  return settle(() => {
    const { secret, UID, UIDSignature, signatureTimestamp } = input;
    const key = keyFor(backend, secret, 'secret');
    requireString(UID, 'UID');
    if (typeof UIDSignature !== 'string') throw new InvalidParameterError('UIDSignature', 'must be a string.');
    const timestamp = freshTimestamp(signatureTimestamp, input);
    if (timestamp === undefined || !BASE64_SHA1.test(UIDSignature)) return false;
    return backend.verify(key, `${timestamp}_${UID}`, UIDSignature);
  });
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
export function validateFriendSignatureWith<Key>(backend: HmacBackend<Key>, input: ValidateFriendSignatureInput): Promise<boolean> {
  return settle(() => {
    const { secret, UID, friendUID, signature, signatureTimestamp } = input;
    const key = keyFor(backend, secret, 'secret');
    requireString(UID, 'UID');
    requireString(friendUID, 'friendUID');
    if (typeof signature !== 'string') throw new InvalidParameterError('signature', 'must be a string.');
    const timestamp = freshTimestamp(signatureTimestamp, input);
    if (timestamp === undefined || !BASE64_SHA1.test(signature)) return false;
    return backend.verify(key, `${timestamp}_${friendUID}_${UID}`, signature);
  });
}
