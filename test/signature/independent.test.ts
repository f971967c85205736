// Cross-checks the Web Crypto implementation against an independent one on node:crypto
// (test/helpers/reference-signature.ts: createHmac, Buffer Base64, a byte-wise RFC 3986 encoder), on
// fast-check inputs.
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { referenceBaseString, referenceEncode, referenceHmac } from '../helpers/reference-signature.js';
import { signatureBackends } from '../helpers/signature-fixtures.js';

// Every test runs on both HMAC backends: Web Crypto (the package's "default" entry) and node:crypto ("node").
for (const [backend, api] of signatureBackends) {
  describe(backend, () => {
    const { buildBaseString, createUIDSignature, encodeRfc3986, hmacSha1, signRequest, validateFriendSignature, validateUIDSignature } = api;
    // Secrets: random key bytes, shown as padded or unpadded Base64.
    const secretArb = fc.tuple(fc.uint8Array({ minLength: 1, maxLength: 64 }), fc.boolean()).map(([bytes, padded]) => {
      const text = Buffer.from(bytes).toString('base64');
      return padded ? text : text.replace(/=+$/, '');
    });
    const textArb = fc.string({ unit: 'grapheme', maxLength: 40 });
    const asciiUidArb = fc.string({ unit: fc.integer({ min: 0, max: 0x7f }).map((c) => String.fromCharCode(c)), minLength: 1, maxLength: 252 });
    const secondsArb = fc.integer({ min: 0, max: 99_999_999_999 });

    describe('agrees with node:crypto', () => {
      test('RFC 3986 encoding', () => {
        fc.assert(
          fc.property(textArb, (text) => encodeRfc3986(text) === referenceEncode(text)),
          { numRuns: 300 },
        );
      });

      test('HMAC-SHA1 over UTF-8 text', async () => {
        await fc.assert(
          fc.asyncProperty(secretArb, textArb, async (secret, message) => {
            expect(await hmacSha1(secret, message)).toBe(referenceHmac(secret, message));
          }),
          { numRuns: 200 },
        );
      });

      test('request base string and sig', async () => {
        const urlArb = fc.record({
          scheme: fc.constantFrom('http', 'https', 'HTTPS'),
          host: fc.constantFrom('socialize.us1.gigya.com', 'Socialize.EU1.Gigya.com', '127.0.0.1'),
          port: fc.constantFrom('', ':80', ':443', ':8080', ':4010'),
          path: fc.constantFrom('/socialize.setUID', '/socialize.notifyLogin', '/a/b c'),
        });
        const paramsArb = fc.dictionary(
          fc.string({ unit: 'grapheme', minLength: 1, maxLength: 12 }).filter((k) => k !== 'sig' && k !== 'secret' && k !== '__proto__'),
          textArb,
          { maxKeys: 20 },
        );
        await fc.assert(
          fc.asyncProperty(secretArb, urlArb, paramsArb, async (secret, u, params) => {
            const url = `${u.scheme}://${u.host}${u.port}${u.path}`;
            const expectedBase = referenceBaseString('POST', url, params);
            expect(buildBaseString({ method: 'post', url, params })).toBe(expectedBase);
            expect(await signRequest({ secret, method: 'POST', url, params })).toBe(referenceHmac(secret, expectedBase));
          }),
          { numRuns: 150 },
        );
      });

      test('UID and friend signatures, created and validated', async () => {
        await fc.assert(
          fc.asyncProperty(secretArb, asciiUidArb, textArb, secondsArb, async (secret, siteUID, friendUID, ts) => {
            const created = await createUIDSignature({ secret, siteUID, timestamp: ts });
            expect(created).toEqual({ UIDSig: referenceHmac(secret, `${ts}_${siteUID}`), UIDTimestamp: String(ts) });
            expect(await validateUIDSignature({ secret, UID: siteUID, UIDSignature: created.UIDSig, signatureTimestamp: ts, now: ts })).toBe(true);
            const friendSig = referenceHmac(secret, `${ts}_${friendUID}_${siteUID}`);
            expect(await validateFriendSignature({ secret, UID: siteUID, friendUID, signature: friendSig, signatureTimestamp: ts, now: ts })).toBe(
              true,
            );
          }),
          { numRuns: 150 },
        );
      });

      test('a changed byte in UID or signature never validates', async () => {
        await fc.assert(
          fc.asyncProperty(secretArb, asciiUidArb, secondsArb, fc.nat(), async (secret, UID, ts, pick) => {
            const good = referenceHmac(secret, `${ts}_${UID}`);
            // Flip one Base64 character of the 27 data characters to a different one.
            const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
            const i = pick % 26;
            const replacement = alphabet[(alphabet.indexOf(good[i]!) + 1 + (pick % 63)) % 64]!;
            const forged = good.slice(0, i) + replacement + good.slice(i + 1);
            expect(await validateUIDSignature({ secret, UID, UIDSignature: forged, signatureTimestamp: ts, now: ts })).toBe(false);
            expect(await validateUIDSignature({ secret, UID: `${UID}x`, UIDSignature: good, signatureTimestamp: ts, now: ts })).toBe(false);
          }),
          { numRuns: 150 },
        );
      });
    });
  });
}
