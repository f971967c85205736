// The form encoder: one set of rules for the request body and for what the signature covers.
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { decimalString, formBody, formFields } from '../../src/index.js';
import { isWellFormedUtf16 } from '../../src/form.js';

describe('formFields', () => {
  test('drops undefined and null, writes booleans as words, numbers in decimal, objects as JSON', () => {
    expect(
      formFields({
        a: undefined,
        b: null,
        yes: true,
        no: false,
        n: 42,
        neg: -0.5,
        big: 10n ** 22n,
        s: 'text',
        empty: '',
        userInfo: { firstName: 'Ann', age: 30, skip: undefined },
        list: [1, 'two'],
      }),
    ).toEqual([
      ['yes', 'true'],
      ['no', 'false'],
      ['n', '42'],
      ['neg', '-0.5'],
      ['big', '10000000000000000000000'],
      ['s', 'text'],
      ['empty', ''],
      ['userInfo', '{"firstName":"Ann","age":30}'],
      ['list', '[1,"two"]'],
    ]);
  });

  test.each([
    ['NaN', Number.NaN],
    ['Infinity', Number.POSITIVE_INFINITY],
    ['a function', () => 1],
    ['a symbol', Symbol('s')],
    ['a Date', new Date(0)],
    ['a lone surrogate', 'ab\uD800c'],
    ['a lone low surrogate', '\uDC00'],
    ['an object holding a bigint', { n: 1n }],
  ])('refuses %s, naming the parameter', (_name, value) => {
    expect(() => formFields({ field: value })).toThrowError(TypeError);
    expect(() => formFields({ field: value })).toThrowError(expect.objectContaining({ parameter: 'field' }));
    expect(() => formFields({ field: value })).toThrowError(/^field /);
  });

  test('refuses a cyclic object', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => formFields({ userInfo: cyclic })).toThrowError(expect.objectContaining({ parameter: 'userInfo' }));
  });

  test('errors never repeat the value', () => {
    const secretish = 'S3cr3t\uD800';
    expect(() => formFields({ secret: secretish })).toThrowError(/^(?!.*S3cr3t)/);
  });
});

describe('decimalString', () => {
  test.each([
    [1e21, '1000000000000000000000'],
    [1.5e22, '15000000000000000000000'],
    [-2e25, '-20000000000000000000000000'],
    [1e-7, '0.0000001'],
    [-1.25e-8, '-0.0000000125'],
    [123.456, '123.456'],
    [-0, '0'],
  ])('%s → %s', (value, text) => {
    expect(decimalString(value)).toBe(text);
  });

  test('always parses back to the same number and never has an exponent', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (value) => {
        const text = decimalString(value);
        expect(text).not.toMatch(/e/i);
        expect(Number(text)).toBe(value === 0 ? 0 : value);
      }),
      { numRuns: 500 },
    );
  });
});

test('formBody is UTF-8 form encoding that round-trips', () => {
  const body = formBody({ siteUID: 'site user/42', name: 'José 😀', userInfo: { nickname: 'a&b=c' }, newUser: true });
  expect(body).toBe('siteUID=site+user%2F42&name=Jos%C3%A9+%F0%9F%98%80&userInfo=%7B%22nickname%22%3A%22a%26b%3Dc%22%7D&newUser=true');
  expect(Object.fromEntries(new URLSearchParams(body))).toEqual({
    siteUID: 'site user/42',
    name: 'José 😀',
    userInfo: '{"nickname":"a&b=c"}',
    newUser: 'true',
  });
});

test('formBody writes exactly what URLSearchParams writes, for any well-formed text in names and values', () => {
  const text = fc
    .oneof(fc.string({ unit: 'grapheme', maxLength: 30 }), fc.string({ unit: 'binary', maxLength: 30 }))
    .filter((t) => isWellFormedUtf16(t));
  fc.assert(
    fc.property(fc.dictionary(text, text, { maxKeys: 8 }), (params) => {
      expect(formBody(params)).toBe(new URLSearchParams(formFields(params)).toString());
    }),
    { numRuns: 500 },
  );
  const every = String.fromCharCode(...Array.from({ length: 128 }, (_, i) => i));
  expect(formBody({ [every]: every })).toBe(new URLSearchParams([[every, every]]).toString());
  // Each ASCII character alone and among letters, where the encoder may take its as-is path.
  for (const c of every) {
    for (const t of [c, `a${c}b`]) expect(formBody({ [t]: t }), JSON.stringify(t)).toBe(new URLSearchParams([[t, t]]).toString());
  }
});
