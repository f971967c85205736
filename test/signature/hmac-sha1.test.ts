// The client's own HMAC-SHA1 (src/hmac-sha1.ts) against node:crypto's: every key length around the
// 64-byte block (longer keys are hashed first), every message length around the padding's edges (55, 56,
// 64 bytes), non-ASCII text (UTF-8), and one signer reused, as a client reuses it.
import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { expect, test } from 'vitest';
import { hmacSha1Signer } from '../../src/hmac-sha1.js';

const reference = (key: Uint8Array, message: string) => createHmac('sha1', key).update(message, 'utf8').digest('base64');

test('agrees with node:crypto on random keys and messages', () => {
  fc.assert(
    fc.property(
      fc.uint8Array({ minLength: 1, maxLength: 200 }),
      fc.array(fc.string({ unit: 'grapheme', maxLength: 300 }), { maxLength: 4 }),
      (key, messages) => {
        const sign = hmacSha1Signer(key);
        for (const message of messages) expect(sign(message)).toBe(reference(key, message));
      },
    ),
    { numRuns: 300 },
  );
});

test('agrees at every length around the block and padding edges, for keys of every length up to two blocks', () => {
  for (let keyLength = 1; keyLength <= 130; keyLength++) {
    const key = Uint8Array.from({ length: keyLength }, (_, i) => (i * 131 + keyLength) & 0xff);
    const sign = hmacSha1Signer(key);
    for (const length of [0, 1, 55, 56, 57, 63, 64, 65, 119, 120, 128, 239, 1000]) {
      const message = 'a%3D'.repeat(300).slice(0, length);
      expect(sign(message), `key ${keyLength} B, message ${length} B`).toBe(reference(key, message));
    }
  }
});

test('reads the key when it is made: changing the bytes afterwards changes nothing', () => {
  const key = Uint8Array.from({ length: 32 }, (_, i) => i);
  const sign = hmacSha1Signer(key);
  const expected = reference(key, 'POST&x&y');
  key.fill(0);
  expect(sign('POST&x&y')).toBe(expected);
});
