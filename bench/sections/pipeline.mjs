// Pipeline: wall time of lint, bundle, generate and docs on the real contract, and how each grows on
// synthetic contracts with 50× and 100× the operations (every operation copied; see lib/synthetic.mjs).
// Each stage runs as the project runs it, as a fresh process in a temporary copy of the repository.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { fitLine, interleave, pairedRatio, summary } from '../lib/stats.mjs';
import { num, ratio, spread, table } from '../lib/format.mjs';
import { bin, has, redoclyEnv, timed } from '../lib/proc.mjs';
import { makeSyntheticRepo } from '../lib/synthetic.mjs';

const docsScript = has('scripts/docs.mjs');

const stages = [
  { name: 'lint', run: (dir) => timed(bin('redocly'), ['lint', '--format', 'stylish'], { cwd: dir, env: redoclyEnv }) },
  {
    name: 'bundle',
    run: (dir) => timed(bin('redocly'), ['bundle', 'socialize@v1', '-o', join(dir, 'bundle-only.yaml')], { cwd: dir, env: redoclyEnv }),
  },
  { name: 'generate', run: (dir) => timed(process.execPath, [join(dir, 'scripts', 'generate.mjs')], { cwd: dir, env: redoclyEnv }) },
  {
    name: 'docs',
    run: (dir) =>
      docsScript
        ? timed(process.execPath, [join(dir, 'scripts', 'docs.mjs')], { cwd: dir, env: redoclyEnv })
        : timed(
            bin('redocly'),
            ['build-docs', join(dir, 'generated', 'openapi.yaml'), '-o', join(dir, 'dist', 'docs', 'index.html'), '--inlineBundle'],
            { cwd: dir, env: redoclyEnv },
          ),
  },
];

// Linear when the CPU cost of one more operation is the same on the two highest segments (where it
// outweighs process start-up): their ratio within 0.75–1.33. Below: sub-linear; above: super-linear.
// The ratio is taken per round (paired), then summarised.
function growth(scales, opsAt, cpu) {
  if (scales.length < 3) return { word: 'n/a (needs three scales)', text: '' };
  const [a, b, c] = scales.slice(-3);
  const slope = (i, j, round) => (cpu(j)[round] - cpu(i)[round]) / (opsAt(j) - opsAt(i));
  const rounds = cpu(a).length;
  const lower = [];
  const upper = [];
  for (let r = 0; r < rounds; r++) {
    lower.push(slope(a, b, r));
    upper.push(slope(b, c, r));
  }
  const r = pairedRatio(upper, lower);
  const lo = summary(lower);
  const word = !(lo.median > 0) ? 'flat' : r.median > 1.33 ? 'super-linear' : r.median < 0.75 ? 'sub-linear' : 'linear';
  return {
    word,
    text: `${spread(lo, ' ms')} → ${spread(summary(upper), ' ms')}`,
    ratio: ratio(r),
  };
}

/** Runs the section; returns its printable text. */
export async function run({ quick }) {
  // Three scales are what a judgement of growth needs: the cost per added operation over 1×→50× against
  // 50×→100×, each segment about 200 operations, so that the CPU time's noise (±150 ms at 1×) moves a
  // slope by under a millisecond per operation. (A 10× scale would leave the lower segment 36 operations,
  // on which that noise is as large as the slope.) Two rounds: each round runs 12 processes, about 40 s.
  // Quick mode (a smoke run) still copies operations (2×), but skips the large contracts.
  const scales = quick ? [1, 2] : [1, 50, 100];
  const rounds = quick ? 1 : 2;
  const repos = [];
  try {
    // generate runs before docs in every round, so docs always finds the generated/ of its own contract.
    for (const scale of scales) repos.push({ scale, ...makeSyntheticRepo(scale) });
    const opsAt = (scale) => repos.find((r) => r.scale === scale).operations;
    const samples = new Map(); // "stage@scale" → [{ wallMs, cpuMs }] in round order
    for (let round = 0; round < rounds; round++) {
      // Per stage, every scale back to back (scales rotated per round): the samples a ratio pairs are close in time.
      for (const stage of stages) {
        const contenders = repos.map((repo) => ({ name: `${stage.name}@${repo.scale}`, repo }));
        const once = await interleave(1, contenders.slice(round % contenders.length).concat(contenders.slice(0, round % contenders.length)), (c) =>
          stage.run(c.repo.dir),
        );
        for (const [name, [sample]] of once) samples.set(name, [...(samples.get(name) ?? []), sample]);
      }
    }
    const of = (stage, scale, key) => samples.get(`${stage.name}@${scale}`).map((x) => x[key]);

    const tableOf = (key) =>
      table(
        ['stage', ...scales.map((s) => `${s}× (${opsAt(s)} ops)`), ...scales.slice(1).map((s) => `${s}× ÷ 1×`)],
        stages.map((stage) => [
          stage.name,
          ...scales.map((s) => spread(summary(of(stage, s, key)), ' ms')),
          ...scales.slice(1).map((s) => ratio(pairedRatio(of(stage, s, key), of(stage, 1, key)))),
        ]),
      );
    const growthRows = stages.map((stage) => {
      const g = growth(scales, opsAt, (scale) => of(stage, scale, 'cpuMs'));
      const fit = fitLine(scales.map(opsAt), scales.map((s) => summary(of(stage, s, 'cpuMs')).median));
      return [
        stage.name,
        g.word,
        g.text || 'n/a',
        g.ratio ?? 'n/a',
        `${num(fit.intercept)} ms ${fit.slope < 0 ? '−' : '+'} ${num(Math.abs(fit.slope))} ms/op`,
      ];
    });
    const [a, b, c] = scales.length >= 3 ? scales.slice(-3) : ['?', '?', '?'];
    return [
      `Each stage runs as a fresh process in a temporary copy of the repository, as the project runs it; ${rounds} round(s),`,
      `each running every stage at every scale (scales back to back per stage, their order rotated per round).`,
      `1× is an exact copy of openapi/ and redocly.yaml (${opsAt(1)} operations, counting socialize.login); N× adds N-1`,
      `renamed copies of every path file. lint = redocly lint (npm run lint:openapi); bundle = redocly bundle;`,
      `generate = scripts/generate.mjs (bundle + openapi-typescript: npm run generate); docs = ${
        docsScript
          ? 'scripts/docs.mjs (npm run docs: build-docs --inlineBundle + offline check)'
          : 'redocly build-docs --inlineBundle (scripts/docs.mjs has not landed on this branch)'
      }.`,
      '',
      'Wall time (what a developer waits for; moves with the machine\'s load):',
      tableOf('wallMs'),
      '',
      'CPU time (user + sys of the process and its children; barely moved by other load, so growth is judged on it):',
      tableOf('cpuMs'),
      '',
      `Growth, on CPU time: cost per added operation from ${a}× to ${b}× and from ${b}× to ${c}× (median and min–max over rounds)`,
      'and their ratio; linear when the ratio is within 0.75–1.33 (sub-linear below, super-linear above).',
      table(['stage', 'growth', `ms/op ${a}×→${b}× → ${b}×→${c}×`, 'ratio', 'least-squares line on medians'], growthRows),
    ].join('\n');
  } finally {
    for (const repo of repos) rmSync(repo.dir, { recursive: true, force: true });
  }
}
