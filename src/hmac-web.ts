// The HMAC-SHA1 backend on Web Crypto: browsers, edge runtimes, and anything else without node:crypto.
// Keys are non-extractable; `verify` is Web Crypto's, which compares in constant time.
import { base64ToBytes, bytesToBase64, type HmacBackend } from './signature.js';

const encoder = /* @__PURE__ */ new TextEncoder();

/** HMAC-SHA1 on Web Crypto (internal: index.ts binds it to the public helpers). */
export const webCryptoHmac: HmacBackend<Promise<CryptoKey>> = {
  importKey: (raw) => crypto.subtle.importKey('raw', raw, { name: 'HMAC', hash: 'SHA-1' }, false, ['sign', 'verify']),
  sign: async (key, message) => bytesToBase64(new Uint8Array(await crypto.subtle.sign('HMAC', await key, encoder.encode(message)))),
  verify: async (key, message, signature) => crypto.subtle.verify('HMAC', await key, base64ToBytes(signature), encoder.encode(message)),
  cache: new Map(),
};
