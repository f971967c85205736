// The package's public surface on node:crypto (Node, and Deno and Bun, which offer it): what package.json's
// "node" condition gives. Everything index.ts exports, with the helpers that compute an HMAC bound to
// node:crypto instead of Web Crypto: the same types (each is typed as its index.ts twin), the same results
// (test/signature runs every vector through both), about twenty times as fast on Node. The client is the
// same on both entries (it signs its calls with hmac-sha1.ts, see client.ts).
import { nodeCryptoHmac } from './hmac-node.js';
import type * as web from './index.js';
import { parseLoginRedirectWith } from './login.js';
import {
  createUIDSignatureWith,
  hmacSha1With,
  signRequestWith,
  validateFriendSignatureWith,
  validateUIDSignatureWith,
  verifyHmacSha1With,
} from './signature.js';

export * from './index.js';

/** HMAC-SHA1 of the UTF-8 message under the Base64 secret, as standard padded Base64 (node:crypto). */
export const hmacSha1: typeof web.hmacSha1 = (secret, message, secretName) => hmacSha1With(nodeCryptoHmac, secret, message, secretName);

/** Checks a Base64 HMAC-SHA1 signature over the UTF-8 message in constant time (node:crypto). */
export const verifyHmacSha1: typeof web.verifyHmacSha1 = (secret, message, signature, secretName) =>
  verifyHmacSha1With(nodeCryptoHmac, secret, message, signature, secretName);

/** Computes the `sig` of a signed REST request over exactly the given parameters (node:crypto). */
export const signRequest: typeof web.signRequest = (input) => signRequestWith(nodeCryptoHmac, input);

/** Signs a site user ID for a client-side call (node:crypto); see index.ts. */
export const createUIDSignature: typeof web.createUIDSignature = (input) => createUIDSignatureWith(nodeCryptoHmac, input);

/** Validates a `UIDSignature` in constant time, window included (node:crypto). */
export const validateUIDSignature: typeof web.validateUIDSignature = (input) => validateUIDSignatureWith(nodeCryptoHmac, input);

/** Validates a friendship signature in constant time, window included (node:crypto). */
export const validateFriendSignature: typeof web.validateFriendSignature = (input) => validateFriendSignatureWith(nodeCryptoHmac, input);

/** Reads and verifies the login result the browser arrived with at redirect_uri (node:crypto). */
export const parseLoginRedirect: typeof web.parseLoginRedirect = (input, options) => parseLoginRedirectWith(nodeCryptoHmac, input, options);
