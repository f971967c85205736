// Behaviour around the signatures: freshness window, bad input, secrets kept out of messages.
import { createHmac } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { InvalidParameterError } from '../../src/errors.js';
import { signatureBackends } from '../helpers/signature-fixtures.js';

// Every test runs on both HMAC backends: Web Crypto (the package's "default" entry) and node:crypto ("node").
for (const [backend, api] of signatureBackends) {
  describe(backend, () => {
    const { createUIDSignature, hmacSha1, signRequest, timingSafeEqual, validateFriendSignature, validateUIDSignature, verifyHmacSha1 } = api;
    const secret = 'AAECAwQFBgcICQoLDA0ODw==';
    const ts = 1_700_000_000;
    const sigFor = (base: string) => createHmac('sha1', Buffer.from(secret, 'base64')).update(base).digest('base64');
    const UIDSignature = sigFor(`${ts}_user-1`);

    async function rejection(promise: Promise<unknown>): Promise<Error> {
      const outcome = await promise.then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(outcome).toBeInstanceOf(Error);
      return outcome as Error;
    }

    describe('freshness window', () => {
      test.each([
        [0, true],
        [180, true],
        [-180, true],
        [181, false],
        [-181, false],
      ])('now = timestamp %+d s → %s (default 180 s)', async (offset, valid) => {
        await expect(validateUIDSignature({ secret, UID: 'user-1', UIDSignature, signatureTimestamp: ts, now: ts + offset })).resolves.toBe(valid);
      });

      test('maxAgeSeconds widens or narrows it', async () => {
        const input = { secret, UID: 'user-1', UIDSignature, signatureTimestamp: ts };
        await expect(validateUIDSignature({ ...input, now: ts + 300, maxAgeSeconds: 300 })).resolves.toBe(true);
        await expect(validateUIDSignature({ ...input, now: ts + 1, maxAgeSeconds: 0 })).resolves.toBe(false);
        await expect(validateUIDSignature({ ...input, now: ts, maxAgeSeconds: 0 })).resolves.toBe(true);
      });

      test('defaults to the system clock', async () => {
        const now = Math.floor(Date.now() / 1000);
        const fresh = sigFor(`${now}_user-1`);
        await expect(validateUIDSignature({ secret, UID: 'user-1', UIDSignature: fresh, signatureTimestamp: now })).resolves.toBe(true);
        const created = await createUIDSignature({ secret, siteUID: 'user-1' });
        expect(Math.abs(Number(created.UIDTimestamp) - now)).toBeLessThanOrEqual(2);
      });

      test('friend signatures use the same window', async () => {
        const signature = sigFor(`${ts}_friend_user-1`);
        const input = { secret, UID: 'user-1', friendUID: 'friend', signature, signatureTimestamp: String(ts) };
        await expect(validateFriendSignature({ ...input, now: ts - 180 })).resolves.toBe(true);
        await expect(validateFriendSignature({ ...input, now: ts + 181 })).resolves.toBe(false);
      });
    });

    describe('malformed wire data is simply not valid', () => {
      test.each([
        ['empty', ''],
        ['truncated', UIDSignature.slice(0, 20)],
        // The fixed signature holds a '+', so this really is a different string.
        ['URL-safe alphabet', UIDSignature.replace(/\+/g, '-').replace(/\//g, '_')],
        ['trailing garbage', `${UIDSignature}AAAA`],
        ['non-canonical last character', `${UIDSignature.slice(0, 26) + String.fromCharCode(UIDSignature.charCodeAt(26) + 1)}=`],
      ])('%s signature', async (_name, signature) => {
        await expect(validateUIDSignature({ secret, UID: 'user-1', UIDSignature: signature, signatureTimestamp: ts, now: ts })).resolves.toBe(false);
      });

      // Every character of a signature counts, the last significant one (two bits) included: a backend that
      // compares the Base64 text rather than the bytes must compare all 27 characters.
      test('a genuine signature with any one character changed (still canonical Base64) is refused', async () => {
        const canonicalLast = 'AEIMQUYcgkosw048';
        for (let at = 0; at < 27; at++) {
          const alphabet = at === 26 ? canonicalLast : 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
          const other = alphabet[(alphabet.indexOf(UIDSignature[at]!) + 1) % alphabet.length]!;
          const forged = UIDSignature.slice(0, at) + other + UIDSignature.slice(at + 1);
          const input = { secret, UID: 'user-1', UIDSignature: forged, signatureTimestamp: ts, now: ts };
          expect([at, await validateUIDSignature(input)]).toEqual([at, false]);
          expect([at, await verifyHmacSha1(secret, `${ts}_user-1`, forged)]).toEqual([at, false]);
        }
      });

      test('unpadded copy of a genuine signature still validates', async () => {
        await expect(
          validateUIDSignature({ secret, UID: 'user-1', UIDSignature: UIDSignature.replace(/=$/, ''), signatureTimestamp: ts, now: ts }),
        ).resolves.toBe(true);
      });

      test.each([['abc'], ['-5'], ['1.5'], [''], [-1], [1.5]])('signatureTimestamp %j', async (signatureTimestamp) => {
        await expect(validateUIDSignature({ secret, UID: 'user-1', UIDSignature, signatureTimestamp, now: ts })).resolves.toBe(false);
      });
    });

    describe('bad input throws a TypeError naming the parameter', () => {
      test.each([
        ['not Base64', 'not base64!'],
        ['URL-safe Base64', 'AAECAwQFBgcICQoLDA0OD-_'],
        ['impossible length', 'AAECA'],
        ['empty', ''],
      ])('secret %s', async (_name, bad) => {
        const error = await rejection(hmacSha1(bad, 'message'));
        expect(error).toBeInstanceOf(TypeError);
        expect(error.message).toMatch(/^secret /);
        if (bad.length > 0) expect(error.message).not.toContain(bad);
        const viaValidate = await rejection(validateUIDSignature({ secret: bad, UID: 'u', UIDSignature, signatureTimestamp: 1, now: 1_000_000 }));
        // Thrown even though the stale timestamp alone would have made the answer false.
        expect(viaValidate).toBeInstanceOf(TypeError);
        expect(viaValidate.message).toMatch(/^secret /);
      });

      test('a secret is never echoed, even a long one', async () => {
        const long = `${'A'.repeat(40)}!`;
        const error = await rejection(signRequest({ secret: long, method: 'POST', url: 'https://x.test/', params: {} }));
        expect(error.message).not.toContain('AAAAAAAAAA');
      });

      test('millisecond timestamps get a clear error', async () => {
        const ms = Date.now();
        const created = await rejection(createUIDSignature({ secret, siteUID: 'u', timestamp: ms }));
        expect(created).toBeInstanceOf(TypeError);
        expect(created.message).toMatch(/^timestamp looks like milliseconds/);
        const now = await rejection(validateUIDSignature({ secret, UID: 'u', UIDSignature, signatureTimestamp: ts, now: ms }));
        expect(now.message).toMatch(/^now looks like milliseconds/);
        const sigTs = await rejection(validateUIDSignature({ secret, UID: 'u', UIDSignature, signatureTimestamp: String(ms), now: ts }));
        expect(sigTs.message).toMatch(/^signatureTimestamp looks like milliseconds/);
      });

      test.each([
        ['too long', 'x'.repeat(253), /^siteUID must be at most 252 characters/],
        ['not ASCII', 'José', /^siteUID must contain ASCII characters only/],
        ['empty', '', /^siteUID must be a non-empty string/],
      ])('siteUID %s', async (_name, siteUID, message) => {
        const error = await rejection(createUIDSignature({ secret, siteUID, timestamp: ts }));
        expect(error).toBeInstanceOf(TypeError);
        expect(error.message).toMatch(message);
      });

      test('siteUID of exactly 252 ASCII characters is fine', async () => {
        const siteUID = 'x'.repeat(252);
        await expect(createUIDSignature({ secret, siteUID, timestamp: ts })).resolves.toEqual({
          UIDSig: sigFor(`${ts}_${siteUID}`),
          UIDTimestamp: String(ts),
        });
      });

      test.each([
        [{ maxAgeSeconds: -1 }, /^maxAgeSeconds /],
        [{ maxAgeSeconds: Number.NaN }, /^maxAgeSeconds /],
        [{ now: -5 }, /^now /],
        [{ signatureTimestamp: undefined }, /^signatureTimestamp /],
        [{ UID: 42 }, /^UID /],
        [{ UIDSignature: undefined }, /^UIDSignature /],
      ])('validateUIDSignature %j', async (override, message) => {
        const input = { secret, UID: 'user-1', UIDSignature, signatureTimestamp: ts, now: ts, ...override };
        const error = await rejection(validateUIDSignature(input as Parameters<typeof validateUIDSignature>[0]));
        expect(error).toBeInstanceOf(TypeError);
        expect(error.message).toMatch(message);
      });

      test('signRequest refuses a secret among the signed parameters and ignores an old sig', async () => {
        const request = { method: 'POST', url: 'https://socialize.us1.gigya.com/socialize.setUID', params: { a: '1' } };
        const error = await rejection(signRequest({ secret, ...request, params: { a: '1', secret } }));
        expect(error.message).toMatch(/^params must not include secret/);
        expect(error.message).not.toContain(secret);
        await expect(signRequest({ secret, ...request, params: { a: '1', sig: 'old' } })).resolves.toBe(await signRequest({ secret, ...request }));
      });

      test.each([['ftp://x.test/a'], ['/relative/path'], ['not a url']])('url %s', async (url) => {
        const error = await rejection(signRequest({ secret, method: 'POST', url, params: {} }));
        expect(error.message).toMatch(/^url /);
      });
    });

    test('the key cache stays correct past its bound', async () => {
      const secrets = Array.from({ length: 80 }, (_, i) => Buffer.from([i, i + 1, i + 2]).toString('base64'));
      for (const round of [0, 1]) {
        for (const s of round === 0 ? secrets : [...secrets].reverse()) {
          const expected = createHmac('sha1', Buffer.from(s, 'base64')).update('m').digest('base64');
          await expect(hmacSha1(s, 'm')).resolves.toBe(expected);
          await expect(verifyHmacSha1(s, 'm', expected)).resolves.toBe(true);
        }
      }
    });

    test('byte-array secrets work without touching the cache', async () => {
      const bytes = new Uint8Array(Buffer.from(secret, 'base64'));
      await expect(hmacSha1(bytes, 'm')).resolves.toBe(await hmacSha1(secret, 'm'));
      await expect(rejection(hmacSha1(new Uint8Array(0), 'm'))).resolves.toBeInstanceOf(TypeError);
    });

    test('timingSafeEqual', () => {
      expect(timingSafeEqual('abc', 'abc')).toBe(true);
      expect(timingSafeEqual('abc', 'abd')).toBe(false);
      expect(timingSafeEqual('abc', 'abcd')).toBe(false);
      expect(timingSafeEqual(new Uint8Array([1, 2]), new Uint8Array([1, 2]))).toBe(true);
      expect(timingSafeEqual('é', new Uint8Array([0xc3, 0xa9]))).toBe(true);
    });

    test('timingSafeEqual refuses what is neither a string nor bytes, naming the parameter', () => {
      const cases: Array<[unknown, unknown, string]> = [
        [1, 2, 'a'],
        [true, false, 'a'],
        [['a'], ['b'], 'a'],
        [null, null, 'a'],
        [undefined, undefined, 'a'],
        [{}, {}, 'a'],
        ['x', 2, 'b'],
        [new Uint8Array([1]), [1], 'b'],
      ];
      for (const [a, b, named] of cases) {
        const refuse = () => timingSafeEqual(a as string, b as string);
        expect(refuse).toThrow(TypeError);
        expect(refuse).toThrow(InvalidParameterError);
        expect(refuse).toThrow(new RegExp(`^${named} must be a string or a Uint8Array`));
      }
      // A lone surrogate has no UTF-8 form: refused rather than compared as U+FFFD.
      expect(() => timingSafeEqual('\uD800', '\uFFFD')).toThrow(/^a holds a lone UTF-16 surrogate/);
    });
  });
}
