// Types for bench/lib/stats.mjs (plain JavaScript, run by the benchmarks), for the tests that import it.
export interface Named {
  name: string;
}
export function interleave<T extends Named, R>(
  rounds: number,
  contenders: T[],
  measure: (contender: T, round: number) => Promise<R>,
): Promise<Map<string, R[]>>;
export function interleaveGroups<T extends Named, R>(
  rounds: number,
  groups: T[][],
  measure: (contender: T, round: number) => Promise<R>,
): Promise<Map<string, R[]>>;
