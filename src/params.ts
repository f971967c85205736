// What the contract states for certain about a call's parameters, checked before anything is sent. The
// server would refuse the rest; these are the cases where it is cheaper and clearer to refuse here, naming
// the parameter. The lengths and patterns are the contract's (generated/limits.ts), not copies.
import { cid as CID, hmacSignature } from '../generated/limits.js';
import { InvalidParameterError } from './errors.js';
import { assertSiteUID, toUnixSeconds } from './signature.js';

type Method = 'socialize.setUID' | 'socialize.notifyRegistration' | 'socialize.notifyLogin';

const CLIENT_FILLED = new Set<string>(['apiKey', 'userKey', 'secret', 'timestamp', 'nonce', 'sig', 'oauth_token', 'format']);

/** Refuses a `cid`-like parameter that is not a string within the contract's length (internal). */
export function checkCid(params: Record<string, unknown>, name: string): void {
  const cid = params[name];
  if (cid !== undefined && (typeof cid !== 'string' || cid.length > CID.maxLength)) {
    throw new InvalidParameterError(name, `must be a string of at most ${CID.maxLength} characters.`);
  }
}

function checkNotifyLogin(params: Record<string, unknown>): void {
  const { siteUID, providerSessions, userInfo } = params;
  if (siteUID === undefined && providerSessions === undefined) {
    throw new InvalidParameterError('siteUID', 'or providerSessions is required by socialize.notifyLogin.');
  }
  if (
    providerSessions !== undefined &&
    (providerSessions === null || typeof providerSessions !== 'object' || Object.keys(providerSessions).length === 0)
  ) {
    throw new InvalidParameterError('providerSessions', 'must be an object with at least one network session.');
  }
  if (userInfo !== undefined && userInfo !== null && typeof userInfo === 'object') {
    const info = userInfo as Record<string, unknown>;
    if (info.thumbnailURL !== undefined && info.photoURL === undefined) {
      throw new InvalidParameterError('userInfo.photoURL', 'must be given with userInfo.thumbnailURL.');
    }
  }
}

/** Checks a call's parameters before anything is sent; throws InvalidParameterError naming the parameter (internal). */
export function checkParams(method: Method, params: Record<string, unknown>, authenticated: boolean): void {
  if (params === null || typeof params !== 'object' || Array.isArray(params)) {
    throw new InvalidParameterError('params', 'must be an object of form parameters.');
  }
  for (const name of Object.keys(params)) {
    if (CLIENT_FILLED.has(name) && params[name] !== undefined) {
      throw new InvalidParameterError(name, "comes from the client's options; do not pass it per call.");
    }
  }
  const { siteUID, UIDSig, UIDTimestamp } = params;
  if (method === 'socialize.setUID' || siteUID !== undefined) assertSiteUID(siteUID);
  checkCid(params, 'cid');
  if ((UIDSig === undefined) !== (UIDTimestamp === undefined)) {
    const [missing, given] = UIDSig === undefined ? ['UIDSig', 'UIDTimestamp'] : ['UIDTimestamp', 'UIDSig'];
    throw new InvalidParameterError(missing, `is required with ${given}; the two go together.`);
  }
  if (UIDTimestamp !== undefined) toUnixSeconds(UIDTimestamp, 'UIDTimestamp');
  if (UIDSig !== undefined && (typeof UIDSig !== 'string' || !hmacSignature.pattern.test(UIDSig))) {
    throw new InvalidParameterError('UIDSig', 'must be a Base64 HMAC-SHA1 value (28 characters).');
  }
  if (method === 'socialize.notifyLogin') checkNotifyLogin(params);
  if (authenticated) {
    if (method !== 'socialize.notifyLogin' && params.UID === undefined) {
      throw new InvalidParameterError('UID', `is required by ${method} with a secret or a signature.`);
    }
  } else if (UIDSig === undefined && (method === 'socialize.setUID' || siteUID !== undefined)) {
    throw new InvalidParameterError(
      'UIDSig',
      `is required by ${method} with siteUID when the client has no credentials (make it with createUIDSignature on your server).`,
    );
  }
}
