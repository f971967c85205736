// The order in which the benchmarks measure their contenders: a ratio's two figures are only as
// comparable as the moments they were measured at (this machine's speed moves over seconds).
import { describe, expect, it } from 'vitest';
import { interleaveGroups } from '../../bench/lib/stats.mjs';

const named = (...names: string[]) => names.map((name) => ({ name }));

async function order(rounds: number, groups: Array<Array<{ name: string }>>): Promise<string[][]> {
  const seen: string[][] = Array.from({ length: rounds }, () => []);
  await interleaveGroups(rounds, groups, async (contender, round) => {
    seen[round]!.push(contender.name);
  });
  return seen;
}

describe('interleaveGroups', () => {
  it('runs a group back to back, alternating its direction, and rotates the groups', async () => {
    expect(await order(4, [named('a', 'A', 'bare'), named('s', 'S'), named('x')])).toEqual([
      ['a', 'A', 'bare', 's', 'S', 'x'],
      ['S', 's', 'x', 'bare', 'A', 'a'],
      ['x', 'a', 'A', 'bare', 's', 'S'],
      ['bare', 'A', 'a', 'S', 's', 'x'],
    ]);
  });

  it('gives each contender one sample per round, in round order', async () => {
    const samples = await interleaveGroups(3, [named('a', 'b'), named('c')], async (contender, round) => `${contender.name}${round}`);
    expect(Object.fromEntries(samples)).toEqual({ a: ['a0', 'a1', 'a2'], b: ['b0', 'b1', 'b2'], c: ['c0', 'c1', 'c2'] });
  });
});
