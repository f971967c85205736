// The partner secret and user key secrets are compared without hashing (credentials.ts secretMatches):
// only the exact secret matches, whatever the given text's length or how much of it is right.
import { describe, expect, it } from 'vitest';
import { secretMatches } from '../../src/mock/credentials.js';

const secret = 'YmVuY2htYXJrIHBhcnRuZXIgc2VjcmV0IChwdWJsaWMp';

describe('secretMatches', () => {
  it('accepts the exact secret only', () => {
    expect(secretMatches(secret, secret)).toBe(true);
    expect(secretMatches(`${secret}`.slice(0), secret)).toBe(true);
  });

  it('refuses a prefix, an extension, the secret twice, one changed character and the empty text', () => {
    const changed = `${secret.slice(0, 10)}${secret[10] === 'A' ? 'B' : 'A'}${secret.slice(11)}`;
    for (const given of [secret.slice(0, -1), `${secret}=`, `${secret}${secret}`, changed, '', secret.toLowerCase(), ` ${secret}`]) {
      expect(secretMatches(given, secret), JSON.stringify(given)).toBe(false);
    }
  });

  it('refuses everything when the expected secret is empty', () => {
    expect(secretMatches('', '')).toBe(false);
    expect(secretMatches('x', '')).toBe(false);
  });

  it('compares every character, far into a long text and outside ASCII too', () => {
    const long = 'a'.repeat(300);
    expect(secretMatches(`${'a'.repeat(299)}b`, long)).toBe(false);
    expect(secretMatches('é'.repeat(44), 'è'.repeat(44))).toBe(false);
  });
});
