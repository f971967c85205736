/// <reference types="node" />
// The HMAC-SHA1 backend on node:crypto (Node, and Deno and Bun through their node:crypto): a synchronous
// HMAC is about twenty times as fast as Web Crypto's promise-based one there. Comparison in constant time
// with node:crypto's timingSafeEqual.
import { createHmac, createSecretKey, timingSafeEqual, type KeyObject } from 'node:crypto';
import type { HmacBackend } from './signature.js';

// verify compares Base64 texts, not decoded bytes: the signature it gets is checked to be the canonical
// Base64 of 20 bytes (27 characters, then an optional "="), and digest('base64') writes 27 characters and
// "=", so the first 27 characters are equal exactly when the 20 bytes are. Decoding the signature and a
// Buffer digest were two allocations costing half as much again as the HMAC itself; the texts are copied
// into these two buffers instead, which every call can share because verify runs synchronously.
const SIGNIFICANT = 27;
const expected = /* @__PURE__ */ Buffer.alloc(SIGNIFICANT);
const given = /* @__PURE__ */ Buffer.alloc(SIGNIFICANT);

/** HMAC-SHA1 on node:crypto (internal: index.node.ts binds it to the public helpers). */
export const nodeCryptoHmac: HmacBackend<KeyObject> = {
  importKey: (raw) => createSecretKey(raw),
  sign: (key, message) => createHmac('sha1', key).update(message, 'utf8').digest('base64'),
  verify: (key, message, signature) => {
    expected.write(createHmac('sha1', key).update(message, 'utf8').digest('base64'), 0, SIGNIFICANT, 'latin1');
    given.write(signature, 0, SIGNIFICANT, 'latin1');
    return timingSafeEqual(expected, given);
  },
  cache: new Map(),
};
