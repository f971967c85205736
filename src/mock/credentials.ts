// The test site's credentials and how a call proves it may act for the site: the partner secret, a signed
// request (timestamp, nonce, sig), a UIDSig over the siteUID, or an OAuth token this mock issued. Every
// credential a call carries is checked; signatures are verified with the project's own helpers
// (src/signature.ts, Web Crypto, constant time) and the secret is compared in constant time.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { buildBaseString, hmacSha1, verifyHmacSha1 } from 'gigya-socialize-contract';
import type { ErrorSpec } from './envelope.js';

/** How far a signed request's `timestamp` may be from the mock's clock, either way (seconds). */
export const SIGNED_REQUEST_WINDOW_SECONDS = 120;
/** How far a `UIDTimestamp` may be from the mock's clock, either way (seconds): five minutes. */
export const UID_SIGNATURE_WINDOW_SECONDS = 300;
/** UIDSignatures (for the current second) and tokens kept for reuse, at most. */
const SIGNATURE_CACHE_LIMIT = 10_000;
/**
 * Nonces remembered at most at once. Each is kept only while its request's timestamp is inside the window
 * (after that a replay is refused as stale anyway), so a steady load of R signed requests a second holds
 * about R × SIGNED_REQUEST_WINDOW_SECONDS nonces: the cap is reached only above 8,300 signed requests a
 * second, sustained, more than this mock answers on a developer machine. About 150 MiB when full.
 */
export const NONCE_LIMIT = 1_000_000;

export interface SiteCredentials {
  apiKey: string;
  /** The partner secret. */
  secret: string;
  /** The site's application key (`userKey`) and its own secret. */
  userKey: string;
  userSecret: string;
}

/** Remembers the nonces of accepted signed requests for as long as their timestamp is inside the window. */
export class NonceStore {
  // The nonces, and the same grouped by the second after which their timestamp is stale, so that expired
  // ones go in whole groups, whatever order the timestamps arrived in.
  private readonly seen = new Set<string>();
  private readonly expiring = new Map<number, string[]>();
  private prunedAt = -Infinity;

  constructor(private readonly limit = NONCE_LIMIT) {}

  get size(): number {
    return this.seen.size;
  }

  private prune(nowSeconds: number): void {
    if (nowSeconds === this.prunedAt) return;
    this.prunedAt = nowSeconds;
    for (const [second, nonces] of this.expiring) {
      if (second >= nowSeconds) continue;
      for (const nonce of nonces) this.seen.delete(nonce);
      this.expiring.delete(second);
    }
  }

  /** 'ok' when the nonce is new (and now remembered), 'duplicate', or 'full'. `timestamp`: the request's, in seconds. */
  add(nonce: string, timestamp: number, nowMs = Date.now()): 'ok' | 'duplicate' | 'full' {
    this.prune(Math.floor(nowMs / 1000));
    if (this.seen.has(nonce)) return 'duplicate';
    if (this.seen.size >= this.limit) return 'full';
    const staleAfter = timestamp + SIGNED_REQUEST_WINDOW_SECONDS;
    this.seen.add(nonce);
    const group = this.expiring.get(staleAfter);
    if (group) group.push(nonce);
    else this.expiring.set(staleAfter, [nonce]);
    return 'ok';
  }
}

/**
 * Constant-time comparison of a secret given by a client with the expected one: every character of the
 * given text is compared (with the expected text repeated under it), and a difference in length counts as
 * a mismatch too, so the time depends only on the given text's length, which the client chose, never on
 * how much of the secret it got right or on the secret's own length. No hashing and no allocation: a
 * SHA-256 of the given text per call (the way this was done before) cost more than the rest of the
 * credential check.
 */
export function secretMatches(given: string, expected: string): boolean {
  const n = expected.length;
  let diff = given.length ^ n;
  if (n === 0) return false;
  for (let i = 0, j = 0; i < given.length; i++) {
    diff |= given.charCodeAt(i) ^ expected.charCodeAt(j);
    j = j + 1 === n ? 0 : j + 1;
  }
  return diff === 0;
}

/** Context for checking one call. */
export interface CallCredentials {
  fields: ReadonlyMap<string, string>;
  /**
   * The URLs the client may have signed (scheme, host, path): the URL as it addressed the mock, and the
   * same over https (a client behind a proxy, or one that believes it talks to Gigya over TLS).
   */
  urls: readonly string[];
  /** HTTP method, for the signed-request base string. */
  method: string;
  /** The Authorization header, if any. */
  authorization?: string;
  nowSeconds: number;
}

const missingCredentials =
  'Missing required parameter: secret (or sign the request with timestamp, nonce and sig, or send UIDSig with UIDTimestamp)';

export class CredentialChecker {
  readonly nonces = new NonceStore();
  private readonly tokenKey: Buffer;

  constructor(readonly site: SiteCredentials) {
    this.tokenKey = createHash('sha256').update(`socialize-mock-tokens\0${site.secret}`).digest();
  }

  private readonly tokens = new Map<string, string>();

  /** A session or access token for `UID` that this mock recognises later as `oauth_token` (the same each time). */
  issueToken(kind: 'token' | 'session', UID: string): string {
    const key = `${kind}\0${UID}`;
    let token = this.tokens.get(key);
    if (token === undefined) {
      // The API key rides along, so that a token alone says which site it belongs to (tokenApiKey).
      const payload = Buffer.from(`${key}\0${this.site.apiKey}`, 'utf8').toString('base64url');
      const mac = createHmac('sha256', this.tokenKey).update(payload).digest('base64url').slice(0, 22);
      token = `st2.${payload}.${mac}`;
      if (this.tokens.size >= SIGNATURE_CACHE_LIMIT) this.tokens.clear();
      this.tokens.set(key, token);
    }
    return token;
  }

  /** Whether `given` is the site's partner secret (constant time). */
  isPartnerSecret(given: string): boolean {
    return secretMatches(given, this.site.secret);
  }

  /** The API key a token names (not yet verified: the site's checker does that), or undefined. */
  static tokenApiKey(token: string): string | undefined {
    const match = /^st2\.([A-Za-z0-9_-]+)\./.exec(token);
    return match ? Buffer.from(match[1]!, 'base64url').toString('utf8').split('\0')[2] : undefined;
  }

  /** The UID of a token this mock issued, or undefined. */
  tokenUID(token: string): string | undefined {
    const match = /^st2\.([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]{22})$/.exec(token);
    if (!match) return undefined;
    const expected = createHmac('sha256', this.tokenKey).update(match[1]!).digest('base64url').slice(0, 22);
    if (!timingSafeEqual(Buffer.from(expected), Buffer.from(match[2]!))) return undefined;
    const [, UID] = Buffer.from(match[1]!, 'base64url').toString('utf8').split('\0');
    return UID;
  }

  // UIDSignatures of the current second: the same UID signed again within a second gets the same value,
  // without another HMAC. The signature depends only on the UID, the second and the site's secret (which
  // never changes), so a kept one is never wrong after a change of state. Once the helper's promise has
  // settled, the text itself is handed out, so that a call that reuses it need not wait for a promise.
  private signedSecond = -1;
  private readonly signed = new Map<string, { promise: Promise<string>; text?: string }>();

  /** Base64 HMAC-SHA1 of `<timestamp>_<UID>` with the site's secret (UIDSignature). */
  signUID(UID: string, timestamp: number): string | Promise<string> {
    if (timestamp !== this.signedSecond || this.signed.size >= SIGNATURE_CACHE_LIMIT) {
      this.signed.clear();
      this.signedSecond = timestamp;
    }
    const kept = this.signed.get(UID);
    if (kept) return kept.text ?? kept.promise;
    const entry: { promise: Promise<string>; text?: string } = { promise: hmacSha1(this.site.secret, `${timestamp}_${UID}`) };
    entry.promise.then(
      (text) => (entry.text = text),
      () => this.signed.get(UID) === entry && this.signed.delete(UID),
    );
    this.signed.set(UID, entry);
    return entry.promise;
  }

  /**
   * Checks every credential the call carries; resolves to undefined when the call may proceed, or to the
   * error to answer. Order: token, apiKey, partner secret, signed request, UIDSig.
   */
  check({ fields, urls, method, authorization, nowSeconds }: CallCredentials): ErrorSpec | undefined | Promise<ErrorSpec | undefined> {
    if (authorization !== undefined && /^\s*bearer\s/i.test(authorization)) {
      return {
        errorCode: 400008,
        errorDetails: 'Authorization: the mock cannot verify bearer JWTs (it holds no public key); use the partner secret or a signed request',
      };
    }
    const token = fields.get('oauth_token');
    const apiKey = fields.get('apiKey');
    if (token !== undefined) {
      // Every credential a call carries is checked: an API key beside the token must be the site's.
      if (apiKey !== undefined && apiKey !== this.site.apiKey) return { errorCode: 400093, errorDetails: 'apiKey: not a known API key' };
      if (this.tokenUID(token) === undefined) return { errorCode: 403025, errorDetails: 'oauth_token: not a token this site issued' };
      // A UIDSig is the fraud check of a call made in the user's session: a session does not excuse a forged one.
      const UIDSig = fields.get('UIDSig');
      return UIDSig === undefined ? undefined : this.checkUIDSig(fields, UIDSig, nowSeconds);
    }
    if (apiKey === undefined) return { errorCode: 400002, errorDetails: 'Missing required parameter: apiKey' };
    if (apiKey !== this.site.apiKey) return { errorCode: 400093, errorDetails: 'apiKey: not a known API key' };
    // With a userKey, the secret and the request signature are the user key's own secret.
    const userKey = fields.get('userKey');
    if (userKey !== undefined && userKey !== this.site.userKey) {
      return { errorCode: 403005, errorDetails: 'userKey: not a user key of this site' };
    }
    const key = userKey === undefined
      ? { secret: this.site.secret, name: 'secret: not the secret of this site' }
      : { secret: this.site.userSecret, name: 'secret: not the secret of this user key' };

    const secret = fields.get('secret');
    const sig = fields.get('sig');
    const UIDSig = fields.get('UIDSig');
    if (secret === undefined && sig === undefined && UIDSig === undefined) {
      return { errorCode: 400002, errorDetails: missingCredentials };
    }
    if (secret !== undefined && sig !== undefined) {
      return { errorCode: 400001, errorDetails: 'secret: a signed request does not carry the secret; send either secret, or timestamp, nonce and sig' };
    }
    if (secret !== undefined && !secretMatches(secret, key.secret)) {
      return { errorCode: 403003, errorDetails: key.name };
    }
    // Only signatures are checked asynchronously (the helpers return promises); a call with the secret alone is
    // answered without waiting for another turn of the event loop.
    if (sig === undefined && UIDSig === undefined) return undefined;
    return this.checkSignatures(fields, { sig, UIDSig }, { urls, method, secret: key.secret }, nowSeconds);
  }

  private async checkSignatures(
    fields: ReadonlyMap<string, string>,
    { sig, UIDSig }: { sig: string | undefined; UIDSig: string | undefined },
    signed: { urls: readonly string[]; method: string; secret: string },
    nowSeconds: number,
  ): Promise<ErrorSpec | undefined> {
    if (sig !== undefined) {
      const failure = await this.checkSignedRequest(fields, sig, signed, nowSeconds);
      if (failure) return failure;
    }
    return UIDSig === undefined ? undefined : this.checkUIDSig(fields, UIDSig, nowSeconds);
  }

  private async checkSignedRequest(
    fields: ReadonlyMap<string, string>,
    sig: string,
    signed: { urls: readonly string[]; method: string; secret: string },
    nowSeconds: number,
  ): Promise<ErrorSpec | undefined> {
    const timestamp = fields.get('timestamp');
    const nonce = fields.get('nonce');
    if (timestamp === undefined) return { errorCode: 400002, errorDetails: 'Missing required parameter: timestamp' };
    if (nonce === undefined) return { errorCode: 400002, errorDetails: 'Missing required parameter: nonce' };
    const stale = timestampError('timestamp', timestamp, SIGNED_REQUEST_WINDOW_SECONDS, nowSeconds, true);
    if (stale) return stale;
    const params: Record<string, string> = {};
    for (const [name, value] of fields) if (name !== 'sig') params[name] = value;
    if (!(await this.anySignatureMatches(signed, params, sig))) {
      return { errorCode: 403003, errorDetails: 'sig: the signature does not match' };
    }
    const stored = this.nonces.add(nonce, timestampSeconds(timestamp));
    if (stored === 'duplicate') return { errorCode: 403004, errorDetails: 'nonce: already used' };
    if (stored === 'full') {
      return { errorCode: 403048, errorDetails: `nonce: more than ${NONCE_LIMIT} signed requests within ${SIGNED_REQUEST_WINDOW_SECONDS} seconds` };
    }
    return undefined;
  }

  private async anySignatureMatches(
    { urls, method, secret }: { urls: readonly string[]; method: string; secret: string },
    params: Record<string, string>,
    sig: string,
  ): Promise<boolean> {
    for (const url of urls) {
      let base: string;
      try {
        base = buildBaseString({ method, url, params });
      } catch {
        continue;
      }
      if (await verifyHmacSha1(secret, base, sig)) return true;
    }
    return false;
  }

  private async checkUIDSig(fields: ReadonlyMap<string, string>, UIDSig: string, nowSeconds: number): Promise<ErrorSpec | undefined> {
    const UIDTimestamp = fields.get('UIDTimestamp');
    const siteUID = fields.get('siteUID');
    if (UIDTimestamp === undefined) return { errorCode: 400002, errorDetails: 'Missing required parameter: UIDTimestamp' };
    if (siteUID === undefined) return { errorCode: 400002, errorDetails: 'Missing required parameter: siteUID' };
    const stale = timestampError('UIDTimestamp', UIDTimestamp, UID_SIGNATURE_WINDOW_SECONDS, nowSeconds);
    if (stale) return stale;
    if (!(await verifyHmacSha1(this.site.secret, `${UIDTimestamp}_${siteUID}`, UIDSig))) {
      return { errorCode: 403003, errorDetails: 'UIDSig: the signature does not match' };
    }
    return undefined;
  }
}

/** A timestamp parameter that is not Unix seconds (400006) or lies outside the window around now (403002). */
/** A checked timestamp in seconds (13 digits are milliseconds). */
function timestampSeconds(value: string): number {
  return value.length === 13 ? Math.floor(Number(value) / 1000) : Number(value);
}

// A signed request's timestamp may also be Unix milliseconds (13 digits): the npm `gigya` SDK signs
// `Date.now()` (docs/DECISIONS.md item 21).
function timestampError(name: string, value: string, windowSeconds: number, nowSeconds: number, milliseconds = false): ErrorSpec | undefined {
  const ms = milliseconds && /^\d{13}$/.test(value);
  if (!ms && !/^\d{1,10}$/.test(value)) return { errorCode: 400006, errorDetails: `${name}: must be Unix seconds${milliseconds ? ' (or milliseconds)' : ''}` };
  const seconds = ms ? timestampSeconds(value) : Number(value);
  if (Math.abs(nowSeconds - seconds) > windowSeconds) {
    return { errorCode: 403002, errorDetails: `${name}: more than ${windowSeconds} seconds from the server time` };
  }
  return undefined;
}
