// Pipeline: wall time of lint, bundle, generate and docs on the real contract, and how each grows on
// synthetic contracts with 10×, 50× and 100× the operations (every operation copied; see lib/synthetic.mjs).
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

// Linear when the cost of one more operation is the same on the two upper segments (where it outweighs
// process start-up): their ratio within 0.75–1.33. Below: sub-linear; above: super-linear.
function verdict(scales, medians, opsAt) {
  if (scales.length < 3) return 'n/a (needs three scales)';
  const k = scales.length;
  const slope = (i, j) => (medians[j] - medians[i]) / (opsAt(scales[j]) - opsAt(scales[i]));
  const lower = slope(k - 3, k - 2);
  const upper = slope(k - 2, k - 1);
  const r = upper / lower;
  const word = !(lower > 0) ? 'flat (no measurable cost per operation)' : r > 1.33 ? 'super-linear' : r < 0.75 ? 'sub-linear' : 'linear';
  return `${word}: ${num(lower)} then ${num(upper)} ms per added operation (×${num(r)})`;
}

/** Runs the section; returns its printable text. */
export async function run({ quick }) {
  // Quick mode (a smoke run) still copies operations (2×), but skips the large contracts.
  const scales = quick ? [1, 2] : [1, 10, 50, 100];
  const rounds = quick ? 1 : 5;
  const repos = [];
  try {
    // generate runs before docs in every round, so docs always finds the generated/ of its own contract.
    for (const scale of scales) repos.push({ scale, ...makeSyntheticRepo(scale) });
    const opsAt = (scale) => repos.find((r) => r.scale === scale).operations;
    // One contender per (stage, scale); a round runs every stage at every scale, scales rotated.
    const contenders = stages.flatMap((stage) =>
      repos.map((repo) => ({ name: `${stage.name}@${repo.scale}`, stage, repo })),
    );
    const samples = new Map();
    for (let round = 0; round < rounds; round++) {
      for (const stage of stages) {
        const ofStage = contenders.filter((c) => c.stage === stage);
        const once = await interleave(1, ofStage.slice(round % ofStage.length).concat(ofStage.slice(0, round % ofStage.length)), (c) =>
          c.stage.run(c.repo.dir),
        );
        for (const [name, [ms]] of once) samples.set(name, [...(samples.get(name) ?? []), ms]);
      }
    }

    const header = ['stage', ...scales.map((s) => `${s}× (${opsAt(s)} ops) ms`), ...scales.slice(1).map((s) => `${s}× ÷ 1×`)];
    const rows = stages.map((stage) => {
      const at = (scale) => samples.get(`${stage.name}@${scale}`);
      return [
        stage.name,
        ...scales.map((s) => spread(summary(at(s)))),
        ...scales.slice(1).map((s) => ratio(pairedRatio(at(s), at(1)))),
      ];
    });
    const growth = stages.map((stage) => {
      const medians = scales.map((s) => summary(samples.get(`${stage.name}@${s}`)).median);
      const fit = fitLine(scales.map(opsAt), medians);
      return [stage.name, verdict(scales, medians, opsAt), `${num(fit.intercept)} ms ${fit.slope < 0 ? '−' : '+'} ${num(Math.abs(fit.slope))} ms/op`];
    });
    return [
      `Wall time of each stage as a fresh process (what a developer waits for), ${rounds} round(s); each round runs`,
      `every stage at every scale, the order of scales rotated per round. 1× is an exact copy of openapi/ and`,
      `redocly.yaml (${opsAt(1)} operations, counting socialize.login); N× copies every path file N-1 more times.`,
      `Stages: lint = redocly lint (npm run lint:openapi); bundle = redocly bundle; generate = scripts/generate.mjs`,
      `(bundle + openapi-typescript, npm run generate); docs = ${
        docsScript ? 'scripts/docs.mjs (npm run docs: build-docs --inlineBundle + offline check)' : 'redocly build-docs --inlineBundle (scripts/docs.mjs has not landed on this branch)'
      }.`,
      '',
      table(header, rows),
      '',
      'Growth (criterion: the cost per added operation on the two highest segments differs by less than a third):',
      table(['stage', 'growth', 'least-squares line'], growth),
    ].join('\n');
  } finally {
    for (const repo of repos) rmSync(repo.dir, { recursive: true, force: true });
  }
}
