// ShardedMap (src/mock/sharded-map.ts) must answer as one Map does: fast-check drives random sequences of
// set, delete and clear over keys that collide in a shard and keys that do not, against a Map, and after
// every step both agree on every key's value and presence and on the size. Then the keys spread: the
// store's own key shapes (Gigya UIDs, siteUIDs) land in every shard, none holding more than twice its share.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ShardedMap } from '../../src/mock/sharded-map.js';

const KEYS = ['', 'a', 'b', 'ab', 'ba', '_gid_1==', '_gid_2==', 'site-1', 'site-2', 'é', '\u{1F600}'];

type Step = { kind: 'set'; key: string; value: number } | { kind: 'delete'; key: string } | { kind: 'clear' };

const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('set' as const), key: fc.constantFrom(...KEYS), value: fc.integer() }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('delete' as const), key: fc.constantFrom(...KEYS) }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'clear' as const }) },
);

describe('ShardedMap', () => {
  it('agrees with a Map after every step of a random sequence', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 60 }), (steps) => {
        const sharded = new ShardedMap<number>();
        const reference = new Map<string, number>();
        for (const s of steps) {
          if (s.kind === 'set') expect(sharded.set(s.key, s.value)).toBe(sharded);
          if (s.kind === 'set') reference.set(s.key, s.value);
          if (s.kind === 'delete') expect(sharded.delete(s.key)).toBe(reference.delete(s.key));
          if (s.kind === 'clear') {
            sharded.clear();
            reference.clear();
          }
          expect(sharded.size).toBe(reference.size);
          for (const key of KEYS) {
            expect(sharded.get(key)).toBe(reference.get(key));
            expect(sharded.has(key)).toBe(reference.has(key));
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it("spreads the store's key shapes over every shard", () => {
    const sharded = new ShardedMap<number>();
    const keys = 20_000;
    for (let i = 0; i < keys / 2; i++) {
      sharded.set(`_gid_${String(i).padStart(22, '0')}==`, i);
      sharded.set(`site-user-${i}`, i);
    }
    const sizes = (sharded as unknown as { shards: Map<string, number>[] }).shards.map((shard) => shard.size);
    const share = keys / sizes.length;
    expect(Math.min(...sizes)).toBeGreaterThan(0);
    expect(Math.max(...sizes)).toBeLessThan(2 * share);
  });
});
