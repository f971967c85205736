// The package's public surface, with the signature helpers on Web Crypto (browsers, edge runtimes): what
// package.json's "default" condition gives. index.node.ts is the same surface on node:crypto ("node"); the client is
// the same on both (client.ts).
import { webCryptoHmac } from './hmac-web.js';
import { parseLoginRedirectWith, type LoginRedirectInput, type LoginRedirectResult, type ParseLoginRedirectOptions } from './login.js';
import {
  createUIDSignatureWith,
  hmacSha1With,
  signRequestWith,
  validateFriendSignatureWith,
  validateUIDSignatureWith,
  verifyHmacSha1With,
  type CreateUIDSignatureInput,
  type Secret,
  type SignRequestInput,
  type UIDSignature,
  type ValidateFriendSignatureInput,
  type ValidateUIDSignatureInput,
} from './signature.js';

export {
  DEFAULT_MAX_AGE_SECONDS,
  assertSecret,
  assertSiteUID,
  buildBaseString,
  encodeRfc3986,
  normalizeUrl,
  nowInSeconds,
  timingSafeEqual,
  toUnixSeconds,
} from './signature.js';
export type {
  CreateUIDSignatureInput,
  FreshnessOptions,
  Secret,
  SignedRequestInput,
  SignRequestInput,
  UIDSignature,
  UnixSeconds,
  ValidateFriendSignatureInput,
  ValidateUIDSignatureInput,
} from './signature.js';
export { decimalString, formBody, formFields, formValue } from './form.js';
export type { FormValue } from './form.js';
export { GigyaError, GigyaTransportError, InvalidParameterError } from './errors.js';
export type { ErrorCode, GigyaErrorBody, TransportFailure } from './errors.js';
export type {
  CallOptions,
  ClientFilledParameter,
  DataCenter,
  SocializeAnswer,
  SocializeCalls,
  SocializeClientOptions,
  SocializeCredentials,
  SocializeMethod,
  SocializeParams,
  SocializeSuccess,
} from './client-core.js';
export { isLoopbackHost } from './client-core.js';
export type { SocializeClient } from './client.js';
export type { LoginUrlParams } from './login-url.js';
export { LoginRedirectError } from './login.js';
export type { LoginRedirectFailure, LoginRedirectInput, LoginRedirectResult, ParseLoginRedirectOptions } from './login.js';

export { createSocializeClient } from './client.js';

/** HMAC-SHA1 of the UTF-8 message under the Base64 secret, as standard padded Base64. */
export const hmacSha1 = (secret: Secret, message: string, secretName?: string): Promise<string> =>
  hmacSha1With(webCryptoHmac, secret, message, secretName);

/** Checks a Base64 HMAC-SHA1 signature over the UTF-8 message in constant time. */
export const verifyHmacSha1 = (secret: Secret, message: string, signature: string, secretName?: string): Promise<boolean> =>
  verifyHmacSha1With(webCryptoHmac, secret, message, signature, secretName);

/** Computes the `sig` of a signed REST request over exactly the given parameters (add `timestamp` and `nonce`). */
export const signRequest = (input: SignRequestInput): Promise<string> => signRequestWith(webCryptoHmac, input);

/** Signs a site user ID: `UIDSig = Base64(HMAC-SHA1(secret, UIDTimestamp + "_" + siteUID))`, timestamp default now. */
export const createUIDSignature = (input: CreateUIDSignatureInput): Promise<UIDSignature> => createUIDSignatureWith(webCryptoHmac, input);

/** Validates a `UIDSignature` in constant time; false when forged, malformed or outside the window (default 180 s). */
export const validateUIDSignature = (input: ValidateUIDSignatureInput): Promise<boolean> => validateUIDSignatureWith(webCryptoHmac, input);

/** Validates a friendship signature in constant time, with the same window rule as validateUIDSignature. */
export const validateFriendSignature = (input: ValidateFriendSignatureInput): Promise<boolean> => validateFriendSignatureWith(webCryptoHmac, input);

/**
 * Reads and verifies the login result the browser arrived with at redirect_uri: rejects with GigyaError when
 * it reports an error, with LoginRedirectError when `state` differs or `UID` lacks a valid, fresh UIDSignature.
 */
export const parseLoginRedirect = (input: LoginRedirectInput, options: ParseLoginRedirectOptions): Promise<LoginRedirectResult> =>
  parseLoginRedirectWith(webCryptoHmac, input, options);
