// Known-answer tests: the published SDK vectors from the reference (§6.7), run through the public API.
import { Buffer } from 'node:buffer';
import { describe, expect, test } from 'vitest';
import { javaSdkVector, signatureBackends } from '../helpers/signature-fixtures.js';

// Every test runs on both HMAC backends: Web Crypto (the package's "default" entry) and node:crypto ("node").
for (const [backend, api] of signatureBackends) {
  describe(backend, () => {
    const { buildBaseString, createUIDSignature, encodeRfc3986, hmacSha1, signRequest, validateFriendSignature, validateUIDSignature } = api;
    // PHP's base64_decode without strict mode: drop every character outside the standard alphabet, and a final
    // lone character. Some GRAZE secrets are not Base64 at all and only decode this way; the library refuses
    // them as text, so these vectors pass the bytes PHP would have used.
    function phpLenientBase64(text: string): Uint8Array {
      let kept = text.replace(/[^A-Za-z0-9+/]/g, '');
      if (kept.length % 4 === 1) kept = kept.slice(0, -1);
      return new Uint8Array(Buffer.from(kept, 'base64'));
    }

    function isStrictBase64(text: string): boolean {
      return /^[A-Za-z0-9+/]*={0,2}$/.test(text) && text.replace(/=+$/, '').length % 4 !== 1;
    }

    describe('vector 1: Java SDK SigUtilsTest (OAuth1 base string and sig)', () => {
      const { params, secret } = javaSdkVector;

      test('secret is Base64 of the two token secrets', () => {
        expect(Buffer.from(secret, 'base64').toString()).toBe('test-consumer-secret&test-token-secret');
      });

      test('sig over http://photos.example.net/photos', async () => {
        await expect(signRequest({ secret, method: 'POST', url: javaSdkVector.url, params })).resolves.toBe(javaSdkVector.sig);
      });

      test('base string keeps a non-default port', () => {
        const expected =
          'POST&http%3A%2F%2Fphotos.example.net%3A8080%2Fphotos&file%3Dvacation.jpg%26oauth_consumer_key%3Dtest-consumer-secret%26oauth_nonce%3Dkllo9940pd9333jh%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1191242096%26oauth_token%3Dtest-token-secret%26oauth_version%3D1.0%26size%3Doriginal';
        expect(buildBaseString({ method: 'POST', url: 'http://photos.example.net:8080/photos', params })).toBe(expected);
        expect(buildBaseString({ method: 'post', url: 'HTTPS://PHOTOS.example.net:4433/photos?x=1#f', params })).toBe(
          expected.replace('http%3A', 'https%3A').replace('8080', '4433'),
        );
      });
    });

    test('vector 2: Android SDK AuthUtilsTest (unpadded 18-character secret)', async () => {
      const sig = await signRequest({
        secret: 'asda34asfasfj9fuas',
        method: 'POST',
        url: 'https://sociallize.us1.gigya.com/socialize.getSDKConfig',
        params: { ApiKey: 'someApiKey', timestamp: '1545905337', nonce: '1545905337000_1' },
      });
      expect(sig).toBe('nC69hzGbTdPW3WlUl6k0ZeCd0CY=');
    });

    describe('vector 3: graze/gigya-client SignatureTest', () => {
      const uidVectors: Array<[string, number, string, string]> = [
        ['908dsf7g68d9', 23456754, 'jkl234h53k2', 'AzKUa+6a2+27Oqxu0nDksvDdjLI='],
        ['0-9vbn8m7gfd0ru', 46578543, 'mkl34n5jb4356', 'zGAMM6XlTamV4QH+g3C/RgptX+0='],
        ['nk34bjh5kl432njbh', 3456789, 'kln45j654l3kn5jb', 'y8fo2ebrzyuN/kbX0wbPul8VwI8='],
        ['b45432lkn4jb', 9876543, 'b4645kl35jb', 'VP93O4U8MeTCH5sJntEBVBRG/F0='],
        ['3m4lkn5jb645l43;2k', 345678232, '890fd7g69f0sfd7', 'sVrznUKLsDOJ1Z3Df4qNhClWZ8Q='],
        ['809dierpwojl4k23mr', 76823433, 'v65jbk4renlfioupb8', 'hqT0Y7rFL1khRLfwVDFk64vf28M='],
      ];
      const friendVectors: Array<[string, string, number, string, string]> = [
        ['908dsf7g68d9', '7fcghjv5et4iogu9fp8', 23456754, 'jkl234h53k2', 'tq+VN8H/ygYJbSF+91Mak8XUjGY='],
        ['0-9vbn8m7gfd0ru', 'b5jkw4repshdf89vuilbt453w', 46578543, 'mkl34n5jb4356', 'g+oeLL0iZYC4C7tb34qdov5Puec='],
        ['nk34bjh5kl432njbh', '849357yturiehjwldaksfnbv', 3456789, 'kln45j654l3kn5jb', 't4b9ggtficcKyL4YbHpdHEZbdrw='],
        ['b45432lkn4jb', 'v5hjbkl34;ejapwfu8d9gyo7', 9876543, 'b4645kl35jb', 'WKiloNBnOvazdwary9EQdlAKovs='],
        ['3m4lkn5jb645l43;2k', 'b5yelrtgiufdbtker', 345678232, '890fd7g69f0sfd7', 'UnuJroSwujupzqwhaCQYItNQ0C4='],
        ['809dierpwojl4k23mr', '03-49ut8iryughdfkjsladm', 76823433, 'v65jbk4renlfioupb8', 'dkcOPZlo35IE0IMkYtXmeaqF58g='],
      ];
      const rawVectors: Array<[string, string, string]> = [
        ['3242342342_fbdjsfdksbfs', 'hdsvddhlrhtbs[]34o543]', 'PqX1gioG5KKWu2V+nz9d1rKe6rU='],
        ['67686768_fdhfgsvk', 'dsbfjsdkdsaivfdsk', '/MPK8HnKtMB1n2oxWYTiWdU0S5k='],
        // The reference advises against these two: Node's own Base64 decoder reads their "-" as URL-safe "+".
        // With the bytes PHP decodes them to, they match as well.
        ['129048972362_dhskgafgslad', '3e54ght879r8ei0[w-4t5', 'QFkNQ6JVk8QuDLjFbm3QtE39lkw='],
        ['k43je5hgy78efu9w0i-oip4h5u', '=-`z0icd9ufohgutreb4kj342lnejpfud0', '03NWb/fPekvUmXUlmGVPyPRSDpo='],
      ];
      // Text secrets go in as text where they are Base64; the rest as the bytes PHP decodes them to.
      const asSecret = (text: string) => (isStrictBase64(text) ? text : phpLenientBase64(text));

      test.each(uidVectors)('UID signature of %s at %d', async (uid, ts, secretText, expected) => {
        const secret = asSecret(secretText);
        await expect(createUIDSignature({ secret, siteUID: uid, timestamp: ts })).resolves.toEqual({
          UIDSig: expected,
          UIDTimestamp: String(ts),
        });
        await expect(validateUIDSignature({ secret, UID: uid, UIDSignature: expected, signatureTimestamp: ts, now: ts + 180 })).resolves.toBe(true);
        await expect(validateUIDSignature({ secret, UID: uid, UIDSignature: expected, signatureTimestamp: String(ts), now: ts - 181 })).resolves.toBe(
          false,
        );
      });

      test.each(friendVectors)('friend signature of %s and %s at %d', async (uid, friendUID, ts, secretText, expected) => {
        const secret = asSecret(secretText);
        await expect(validateFriendSignature({ secret, UID: uid, friendUID, signature: expected, signatureTimestamp: ts, now: ts })).resolves.toBe(
          true,
        );
        // Swapping the two UIDs changes the base string, so the same signature must fail.
        await expect(
          validateFriendSignature({ secret, UID: friendUID, friendUID: uid, signature: expected, signatureTimestamp: ts, now: ts }),
        ).resolves.toBe(false);
      });

      test.each(rawVectors)('raw HMAC of %s', async (base, secretText, expected) => {
        await expect(hmacSha1(asSecret(secretText), base)).resolves.toBe(expected);
      });

      test('secrets that are not Base64 are refused as text, without echoing them', async () => {
        for (const text of ['mkl34n5jb4356', 'hdsvddhlrhtbs[]34o543]', 'dsbfjsdkdsaivfdsk']) {
          const error = await hmacSha1(text, 'x').then(
            () => undefined,
            (e: unknown) => e,
          );
          expect(error).toBeInstanceOf(TypeError);
          expect((error as Error).message).toContain('secret');
          expect((error as Error).message).not.toContain(text);
        }
      });
    });

    describe('vector 4: computed for the reference (Node and Python agree)', () => {
      const secret = 'AAECAwQFBgcICQoLDA0ODw==';

      test('UIDSig for site-user-42 at 1700000000', async () => {
        await expect(createUIDSignature({ secret, siteUID: 'site-user-42', timestamp: 1700000000 })).resolves.toEqual({
          UIDSig: 'jNQkbuGO6L9nVa0Nt9T6aPlosYQ=',
          UIDTimestamp: '1700000000',
        });
      });

      test('UTF-8 base string', async () => {
        await expect(hmacSha1(secret, '1700000000_José')).resolves.toBe('6CSgfopoj5EXvNicHodJ+gVHK1k=');
        await expect(
          validateUIDSignature({
            secret,
            UID: 'José',
            UIDSignature: '6CSgfopoj5EXvNicHodJ+gVHK1k=',
            signatureTimestamp: '1700000000',
            now: 1700000000,
          }),
        ).resolves.toBe(true);
      });

      test('signed notifyLogin request', async () => {
        const request = {
          method: 'POST',
          url: 'https://socialize.us1.gigya.com/socialize.notifyLogin',
          params: {
            apiKey: '3_ABC',
            format: 'json',
            httpStatusCodes: false,
            nonce: '1700000000123_7',
            siteUID: 'site user/42',
            timestamp: 1700000000,
            userKey: 'AKEY',
          },
        };
        expect(buildBaseString(request)).toBe(
          'POST&https%3A%2F%2Fsocialize.us1.gigya.com%2Fsocialize.notifyLogin&apiKey%3D3_ABC%26format%3Djson%26httpStatusCodes%3Dfalse%26nonce%3D1700000000123_7%26siteUID%3Dsite%2520user%252F42%26timestamp%3D1700000000%26userKey%3DAKEY',
        );
        await expect(signRequest({ secret, ...request })).resolves.toBe('UqkbOg8eT/chfB7FQQdiC8nYDhs=');
      });
    });

    test('Java SDK GSRequestTest URL-encoding vector', () => {
      expect(encodeRfc3986("!*'();:@&=+$,/?%#[] ")).toBe('%21%2A%27%28%29%3B%3A%40%26%3D%2B%24%2C%2F%3F%25%23%5B%5D%20');
      expect(encodeRfc3986('abc012_-.~')).toBe('abc012_-.~');
    });
  });
}
