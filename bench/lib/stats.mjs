// Small statistics for a noisy shared machine: medians with their spread, never means, and ratios taken
// pairwise within a round so that a slow moment of the machine hits both sides of a ratio alike.

/** Median of the numbers; NaN for none. */
export function median(values) {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Median, min and max of the samples. */
export function summary(samples) {
  const finite = samples.filter(Number.isFinite);
  return {
    median: median(finite),
    min: finite.length ? Math.min(...finite) : NaN,
    max: finite.length ? Math.max(...finite) : NaN,
    n: finite.length,
  };
}

/** Per-round ratios a[i] / b[i] (the rounds interleave the two), summarised. */
export function pairedRatio(a, b) {
  const ratios = [];
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    if (Number.isFinite(a[i]) && Number.isFinite(b[i]) && b[i] !== 0) ratios.push(a[i] / b[i]);
  }
  return summary(ratios);
}

/** Linear-regression slope and intercept of y over x (least squares). */
export function fitLine(xs, ys) {
  const n = xs.length;
  const mx = xs.reduce((s, x) => s + x, 0) / n;
  const my = ys.reduce((s, y) => s + y, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    sxy += (xs[i] - mx) * (ys[i] - my);
    sxx += (xs[i] - mx) ** 2;
  }
  const slope = sxx === 0 ? NaN : sxy / sxx;
  return { slope, intercept: my - slope * mx };
}

/**
 * Runs `measure(contender, round)` for every contender in every round, rotating the starting contender
 * each round (A B C, B C A, C A B, ...) so that no contender always runs first or last.
 * Returns a Map from contender name to its samples, in round order.
 */
export async function interleave(rounds, contenders, measure) {
  const samples = new Map(contenders.map((c) => [c.name, []]));
  for (let round = 0; round < rounds; round++) {
    for (let k = 0; k < contenders.length; k++) {
      const contender = contenders[(round + k) % contenders.length];
      samples.get(contender.name).push(await measure(contender, round));
    }
  }
  return samples;
}

/**
 * `interleave` for contenders whose figures are compared in groups (a server against its references):
 * each group's contenders run back to back, forward in even rounds and backward in odd ones, so that the
 * figures a ratio pairs are measured seconds apart and a drift within a group cancels; the groups
 * themselves rotate as `interleave` rotates contenders. Returns the same Map.
 */
export async function interleaveGroups(rounds, groups, measure) {
  const samples = new Map(groups.flat().map((c) => [c.name, []]));
  for (let round = 0; round < rounds; round++) {
    for (let k = 0; k < groups.length; k++) {
      const group = groups[(round + k) % groups.length];
      for (const contender of round % 2 === 0 ? group : [...group].reverse()) samples.get(contender.name).push(await measure(contender, round));
    }
  }
  return samples;
}
