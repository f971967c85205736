// Plain-text tables: the same output goes to the terminal and, pasted, into BENCHMARKS.md.

/** A number with about three significant digits and thousands separators. */
export function num(value) {
  if (!Number.isFinite(value)) return 'n/a';
  const abs = Math.abs(value);
  const digits = abs >= 100 ? 0 : abs >= 10 ? 1 : abs >= 1 ? 2 : 3;
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** "median (min–max)" of a summary, with an optional unit after the median. */
export function spread(s, unit = '') {
  if (!s || !Number.isFinite(s.median)) return 'n/a';
  return `${num(s.median)}${unit} (${num(s.min)}–${num(s.max)})`;
}

/** A ratio summary as "0.42× (0.40–0.45)"; `reference` for the row the others are divided by. */
export function ratio(s, isReference = false) {
  if (isReference) return 'reference';
  if (!s || !Number.isFinite(s.median)) return 'n/a';
  return `${num(s.median)}× (${num(s.min)}–${num(s.max)})`;
}

/** Bytes as "12.3 kB" (1 kB = 1000 bytes), exact bytes kept beside. */
export function bytes(n) {
  if (!Number.isFinite(n)) return 'n/a';
  return n >= 1000 ? `${num(n / 1000)} kB` : `${n} B`;
}

/** Renders rows (arrays of strings) under a header as an aligned table with a rule under the header. */
export function table(header, rows) {
  const all = [header, ...rows].map((r) => r.map((c) => String(c)));
  const widths = header.map((_, i) => Math.max(...all.map((r) => [...(r[i] ?? '')].length)));
  const line = (r) =>
    r
      .map((c, i) => c + ' '.repeat(widths[i] - [...c].length))
      .join('  ')
      .trimEnd();
  return [line(all[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...all.slice(1).map(line)].join('\n');
}
