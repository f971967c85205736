#!/usr/bin/env node
// `npm run bench`: every benchmark in one run on this machine, side by side, as medians with their spread
// and as ratios. `--quick` (or BENCH_QUICK=1) runs each section briefly, to prove it still runs; its figures
// mean nothing. `--only signatures,mock` runs some sections. `--compare-mock DIR` adds, to the mock section,
// the mock built in another checkout DIR (its packages/mock/dist/cli.js, e.g. main's, built there), with
// 100,000 accounts, measured interleaved with this one: a before/after on a machine whose load moves.
import { cpus, totalmem } from 'node:os';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { ensureCompiled } from '../scripts/freshness.mjs';

const { values } = parseArgs({
  options: { quick: { type: 'boolean', default: false }, only: { type: 'string' }, 'compare-mock': { type: 'string' }, help: { type: 'boolean' } },
});
const sections = ['signatures', 'client', 'mock', 'pipeline', 'websdk'];
if (values.help) {
  console.log(`Usage: node bench/run.mjs [--quick] [--only ${sections.join(',')}] [--compare-mock DIR]`);
  process.exit(0);
}
const quick = values.quick || ['1', 'true'].includes(process.env.BENCH_QUICK ?? '');
const only = values.only ? values.only.split(',').map((s) => s.trim()) : sections;
const unknown = only.filter((s) => !sections.includes(s));
if (unknown.length > 0) {
  console.error(`--only: unknown section ${unknown.join(', ')} (known: ${sections.join(', ')})`);
  process.exit(2);
}

function cpuModel() {
  try {
    return /model name\s*:\s*(.+)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? cpus()[0]?.model;
  } catch {
    return cpus()[0]?.model ?? 'unknown';
  }
}
const load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
console.log(`# Benchmarks${quick ? ' (quick mode: a smoke run, figures not meaningful)' : ''}`);
console.log(`date: ${new Date().toISOString()}`);
console.log(
  `machine: ${cpus().length} cores (${cpuModel()}), ${Math.round(totalmem() / 2 ** 30)} GiB, node ${process.version}, load average at start ${load}`,
);

const started = performance.now();
ensureCompiled(); // says what it compiles and why
let failed = 0;
for (const name of only) {
  const t0 = performance.now();
  console.log(`\n## ${name}\n`);
  try {
    const section = await import(`./sections/${name}.mjs`);
    console.log(await section.run({ quick, compareMock: values['compare-mock'] }));
  } catch (error) {
    failed++;
    console.log(`FAILED: ${error instanceof Error ? error.message : error}`);
  }
  console.log(`\n(${name}: ${((performance.now() - t0) / 1000).toFixed(1)} s)`);
}
console.log(`\ntotal: ${((performance.now() - started) / 1000).toFixed(1)} s`);
process.exitCode = failed > 0 ? 1 : 0;
