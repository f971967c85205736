// The package's public surface: exports only.
export {
  DEFAULT_MAX_AGE_SECONDS,
  assertSecret,
  assertSiteUID,
  buildBaseString,
  createUIDSignature,
  encodeRfc3986,
  hmacSha1,
  normalizeUrl,
  nowInSeconds,
  signRequest,
  timingSafeEqual,
  toUnixSeconds,
  validateFriendSignature,
  validateUIDSignature,
  verifyHmacSha1,
} from './signature.js';
export type {
  CreateUIDSignatureInput,
  Secret,
  FreshnessOptions,
  SignRequestInput,
  SignedRequestInput,
  UIDSignature,
  UnixSeconds,
  ValidateFriendSignatureInput,
  ValidateUIDSignatureInput,
} from './signature.js';
export { decimalString, formBody, formFields, formValue } from './form.js';
export type { FormValue } from './form.js';
export { GigyaError, GigyaTransportError, InvalidParameterError } from './errors.js';
export type { ErrorCode, GigyaErrorBody, TransportFailure } from './errors.js';
export { createSocializeClient, isLoopbackHost } from './client.js';
export type {
  CallOptions,
  ClientFilledParameter,
  DataCenter,
  LoginUrlParams,
  SocializeAnswer,
  SocializeClient,
  SocializeClientOptions,
  SocializeCredentials,
  SocializeMethod,
  SocializeParams,
  SocializeSuccess,
} from './client.js';
export { LoginRedirectError, parseLoginRedirect } from './login.js';
export type { LoginRedirectFailure, LoginRedirectResult, ParseLoginRedirectOptions } from './login.js';
