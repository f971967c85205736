// The one JSON-pointer and $ref walker (src/mock/json-pointer.mjs) that the mock, the generator and the
// tests share: pointers with escaped keys, a missing pointer named in the error, references followed with
// their siblings kept, cycles refused.
import { describe, expect, test } from 'vitest';
import { deref, escapeKey, inlineRefs, pointerOf, refTarget, resolvePointer } from '../../src/mock/json-pointer.mjs';
import { contract } from './contract-helpers.js';

const doc = {
  paths: { '/a~b': { get: { parameters: [{ $ref: '#/components/parameters/P' }] } } },
  components: {
    parameters: { P: { name: 'p', schema: { $ref: '#/components/schemas/S', description: 'own words' } } },
    schemas: {
      S: { type: 'string', description: 'the target', maxLength: 3 },
      Alias: { $ref: '#/components/schemas/S' },
      Loop1: { $ref: '#/components/schemas/Loop2' },
      Loop2: { $ref: '#/components/schemas/Loop1' },
      Nested: { type: 'object', properties: { self: { $ref: '#/components/schemas/Nested' } } },
    },
  },
};

describe('pointers', () => {
  test('keys are escaped (~ as ~0, / as ~1) and read back', () => {
    expect(escapeKey('/a~b')).toBe('~1a~0b');
    expect(pointerOf('paths', '/a~b', 'get', 'parameters', 0)).toBe('/paths/~1a~0b/get/parameters/0');
    expect(resolvePointer(doc, `#${pointerOf('paths', '/a~b', 'get', 'parameters', 0)}`)).toEqual({ $ref: '#/components/parameters/P' });
    expect(resolvePointer(doc, '/components/schemas/S/maxLength')).toBe(3);
    expect(resolvePointer(doc, '#')).toBe(doc);
  });

  test('a missing key is an error naming the pointer and the key', () => {
    expect(() => resolvePointer(doc, '#/components/schemas/Nope/type')).toThrow(
      'json-pointer: #/components/schemas/Nope/type does not resolve: /components/schemas has no "Nope"',
    );
    expect(() => resolvePointer(doc, '#/paths/~1a~0b/get/parameters/1')).toThrow('/paths/~1a~0b/get/parameters has no "1"');
    // Inherited members are not the document's.
    expect(() => resolvePointer(doc, '#/components/toString')).toThrow('/components has no "toString"');
  });

  test('only local pointers are followed', () => {
    expect(() => resolvePointer(doc, 'other.yaml#/components/schemas/S')).toThrow('only local pointers');
  });
});

describe('references', () => {
  test('deref follows a chain and keeps each reference’s siblings over the target', () => {
    expect(deref(doc, { $ref: '#/components/schemas/Alias', description: 'mine' })).toEqual({ type: 'string', description: 'mine', maxLength: 3 });
    expect(deref(doc, 'plain')).toBe('plain');
  });

  test('refTarget says where a chain ends', () => {
    expect(refTarget(doc, '#/components/schemas/Alias')).toEqual({ pointer: '#/components/schemas/S', node: doc.components.schemas.S });
  });

  test('inlineRefs replaces references at any depth, siblings kept, and leaves the document alone', () => {
    const before = structuredClone(doc);
    expect(inlineRefs(doc, doc.paths)).toEqual({
      '/a~b': { get: { parameters: [{ name: 'p', schema: { type: 'string', description: 'own words', maxLength: 3 } }] } },
    });
    expect(doc).toEqual(before);
  });

  test('a cycle is an error naming its references, in each walker', () => {
    const cycle = '#/components/schemas/Loop2 → #/components/schemas/Loop1 → #/components/schemas/Loop2';
    expect(() => deref(doc, { $ref: '#/components/schemas/Loop2' })).toThrow(`json-pointer: circular $ref: ${cycle}`);
    expect(() => refTarget(doc, '#/components/schemas/Loop1')).toThrow(
      'json-pointer: circular $ref: #/components/schemas/Loop1 → #/components/schemas/Loop2 → #/components/schemas/Loop1',
    );
    expect(() => inlineRefs(doc, doc.components.schemas.Nested)).toThrow('json-pointer: circular $ref: #/components/schemas/Nested');
  });

  test('a reference to nothing names the pointer', () => {
    expect(() => deref(doc, { $ref: '#/components/schemas/Gone' })).toThrow('#/components/schemas/Gone does not resolve');
  });

  test('the bundled contract inlines completely', () => {
    const inlined = JSON.stringify(inlineRefs(contract, contract.paths));
    expect(inlined).not.toContain('"$ref"');
  });
});
