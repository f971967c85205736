// The package's public surface: exports only.
export {
  DEFAULT_MAX_AGE_SECONDS,
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
