// HMAC-SHA1 (RFC 2104 over FIPS 180-4's SHA-1) in plain JavaScript, for the client's signed calls: the
// key's inner and outer pad blocks are hashed once per client, so a call hashes only its base string and
// the 20-byte inner digest. node:crypto's HMAC is faster in a loop, but a call signs once between two
// waits for the network, and there OpenSSL's long code path runs with cold caches: measured in call
// context (docs/DECISIONS.md item 29) this costs a call less than half of what createHmac does. The public
// helpers (signRequest and the rest) keep their backends; test/signature checks this one against node:crypto.
// Only arithmetic on 32-bit words: no table lookups or branches that depend on the key or the message.

const BLOCK_BYTES = 64;
const INITIAL = [0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0];

// Scratch space every signing shares (it runs synchronously, start to end): the message schedule, the
// running state, the padded message as big-endian words (grown when a longer one comes), the outer block.
const schedule = /* @__PURE__ */ new Int32Array(80);
const state = /* @__PURE__ */ new Int32Array(5);
let message = /* @__PURE__ */ new Int32Array(64);
const outerBlock = /* @__PURE__ */ new Int32Array(16);

// One SHA-1 compression of the 16 words at `words[at…]` into `state`.
function compress(words: Int32Array, at: number): void {
  const w = schedule;
  for (let i = 0; i < 16; i++) w[i] = words[at + i]!;
  for (let i = 16; i < 80; i++) {
    const x = w[i - 3]! ^ w[i - 8]! ^ w[i - 14]! ^ w[i - 16]!;
    w[i] = (x << 1) | (x >>> 31);
  }
  let a = state[0]!;
  let b = state[1]!;
  let c = state[2]!;
  let d = state[3]!;
  let e = state[4]!;
  let t: number;
  for (let i = 0; i < 20; i++) {
    t = (((a << 5) | (a >>> 27)) + ((b & c) | (~b & d)) + e + 0x5a827999 + w[i]!) | 0;
    e = d;
    d = c;
    c = (b << 30) | (b >>> 2);
    b = a;
    a = t;
  }
  for (let i = 20; i < 40; i++) {
    t = (((a << 5) | (a >>> 27)) + (b ^ c ^ d) + e + 0x6ed9eba1 + w[i]!) | 0;
    e = d;
    d = c;
    c = (b << 30) | (b >>> 2);
    b = a;
    a = t;
  }
  for (let i = 40; i < 60; i++) {
    t = (((a << 5) | (a >>> 27)) + ((b & c) | (b & d) | (c & d)) + e + 0x8f1bbcdc + w[i]!) | 0;
    e = d;
    d = c;
    c = (b << 30) | (b >>> 2);
    b = a;
    a = t;
  }
  for (let i = 60; i < 80; i++) {
    t = (((a << 5) | (a >>> 27)) + (b ^ c ^ d) + e + 0xca62c1d6 + w[i]!) | 0;
    e = d;
    d = c;
    c = (b << 30) | (b >>> 2);
    b = a;
    a = t;
  }
  state[0] = (state[0]! + a) | 0;
  state[1] = (state[1]! + b) | 0;
  state[2] = (state[2]! + c) | 0;
  state[3] = (state[3]! + d) | 0;
  state[4] = (state[4]! + e) | 0;
}

const encoder = /* @__PURE__ */ new TextEncoder();

// Hashes the bytes (a string's UTF-8 bytes: its codes when it is ASCII) into `state`, which holds the state after `before` bytes
// (one block per pad, or none): the bytes, 0x80, zeros, and the length in bits of everything hashed in the
// last word. Inputs here are far below 2^29 bytes.
function hashInto(input: Uint8Array | string, before: number): void {
  const length = input.length;
  const words = (((length + 8) >> 6) + 1) << 4;
  if (message.length < words) message = new Int32Array(words);
  message.fill(0, 0, words);
  if (typeof input === 'string') {
    let codes = 0;
    for (let i = 0; i < length; i++) {
      const code = input.charCodeAt(i);
      codes |= code;
      message[i >> 2]! |= code << (24 - 8 * (i & 3));
    }
    if (codes > 0x7f) {
      hashInto(encoder.encode(input), before);
      return;
    }
  } else for (let i = 0; i < length; i++) message[i >> 2]! |= input[i]! << (24 - 8 * (i & 3));
  message[length >> 2]! |= 0x80 << (24 - 8 * (length & 3));
  message[words - 1] = (before + length) * 8;
  for (let at = 0; at < words; at += 16) compress(message, at);
}

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const byteAt = (i: number) => (state[i >> 2]! >>> (24 - 8 * (i & 3))) & 0xff;

// Standard padded Base64 of the 20-byte digest in `state` (28 characters).
function stateBase64(): string {
  let text = '';
  for (let i = 0; i < 18; i += 3) {
    const n = (byteAt(i) << 16) | (byteAt(i + 1) << 8) | byteAt(i + 2);
    text += BASE64[n >> 18]! + BASE64[(n >> 12) & 63]! + BASE64[(n >> 6) & 63]! + BASE64[n & 63]!;
  }
  const n = (byteAt(18) << 16) | (byteAt(19) << 8);
  return `${text}${BASE64[n >> 18]!}${BASE64[(n >> 12) & 63]!}${BASE64[(n >> 6) & 63]!}=`;
}

/**
 * Prepares HMAC-SHA1 under `key` (read now, not kept) and returns the function that signs a message:
 * Base64 of HMAC-SHA1(key, UTF-8 of message), as node:crypto's
 * `createHmac('sha1', key).update(message, 'utf8').digest('base64')`. A message must have a UTF-8 form
 * (the client's base strings are percent-encoded ASCII) (internal).
 */
export function hmacSha1Signer(key: Uint8Array): (message: string) => string {
  const block = new Uint8Array(BLOCK_BYTES);
  if (key.length > BLOCK_BYTES) {
    state.set(INITIAL);
    hashInto(key, 0);
    for (let i = 0; i < 20; i++) block[i] = byteAt(i);
  } else block.set(key);
  const padState = (pad: number) => {
    const words = new Int32Array(16);
    for (let i = 0; i < BLOCK_BYTES; i++) words[i >> 2]! |= (block[i]! ^ pad) << (24 - 8 * (i & 3));
    state.set(INITIAL);
    compress(words, 0);
    return Int32Array.from(state);
  };
  const inner = padState(0x36);
  const outer = padState(0x5c);
  block.fill(0);
  return (text) => {
    state.set(inner);
    hashInto(text, BLOCK_BYTES);
    outerBlock.fill(0);
    outerBlock.set(state);
    outerBlock[5] = 0x80000000 | 0;
    outerBlock[15] = (BLOCK_BYTES + 20) * 8;
    state.set(outer);
    compress(outerBlock, 0);
    return stateBase64();
  };
}
