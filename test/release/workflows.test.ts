// The GitHub Actions workflows cannot run here, so they are held to two things that can be checked here:
// each validates against the workflow schema (@action-validator/cli, from the registry), and what the CI
// workflow runs is what .ci/run runs — the same commands, the same Node versions, the same Debian packages
// and environment — so that a green .ci/run here means what a green workflow would.
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, test } from 'vitest';
import { parse } from 'yaml';

const root = fileURLToPath(new URL('../../', import.meta.url));
const workflowsDir = join(root, '.github', 'workflows');
const validator = join(root, 'node_modules', '.bin', 'action-validator');
const scratch = mkdtempSync(join(tmpdir(), 'workflows-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
}
interface Job {
  uses?: string;
  needs?: string | string[];
  permissions?: Record<string, string>;
  container?: string | { image: string };
  strategy?: { matrix: Record<string, unknown[]> };
  env?: Record<string, string>;
  steps?: Step[];
}
interface Workflow {
  on: Record<string, unknown>;
  jobs: Record<string, Job>;
}

const readWorkflow = (name: string): Workflow => parse(readFileSync(join(workflowsDir, name), 'utf8'));

function validate(file: string): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(validator, [file], { cwd: root, timeout: 60_000 }, (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code ?? 1) : 0, output: `${stdout}${stderr}` }),
    );
  });
}

/** The shell lines of run steps, without comments, blank lines or line continuations. */
const runLines = (steps: Step[]): string[] =>
  steps
    .flatMap((step) => (step.run ?? '').replace(/\\\n\s*/g, ' ').split('\n'))
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'));

// .ci/run read as a reader would: the npm/npx commands it runs (PATH=… prefixes aside), the Node versions
// it tests besides the machine's, the Debian packages it installs, the variables it exports.
const ciRun = readFileSync(join(root, '.ci', 'run'), 'utf8');
const ciRunCommands = new Set([...ciRun.matchAll(/^\s*(?:PATH="[^"]*"\s+)?((?:npm|npx) [^\n#]*?)\s*$/gm)].map((match) => match[1]!));
const ciRunNodeMajors = /^NODE_VERSIONS=\(([^)]*)\)/m
  .exec(ciRun)![1]!
  .trim()
  .split(/\s+/)
  .map((v) => Number(v.split('.')[0]));
const ciRunPackages = [...ciRun.matchAll(/missing\+=\((\w+)\)/g)].map((match) => match[1]!).sort();
const ciRunEnv = Object.fromEntries(
  /^export (.+)$/m
    .exec(ciRun)![1]!
    .split(/\s+/)
    .map((pair) => pair.split('=') as [string, string]),
);

describe('the workflow files', () => {
  const files = readdirSync(workflowsDir)
    .filter((name) => /\.ya?ml$/.test(name))
    .sort();

  test('are the CI and the release workflow', () => {
    expect(files).toEqual(['ci.yml', 'release.yml']);
  });

  test.each(files)('%s validates (action-validator)', async (name) => {
    const result = await validate(join(workflowsDir, name));
    expect(result.output).toBe('');
    expect(result.code).toBe(0);
  });

  test('the validator does refuse a broken workflow (a misspelt key, a step with neither run nor uses)', async () => {
    const broken = readFileSync(join(workflowsDir, 'ci.yml'), 'utf8').replace('runs-on:', 'runs_on:').replace('- run: npm test', '- rum: npm test');
    const file = join(scratch, 'broken.yml');
    writeFileSync(file, broken);
    const result = await validate(file);
    expect(result.code).not.toBe(0);
    expect(result.output).toContain("Additional property 'runs_on' is not allowed");
    expect(result.output).toContain("Additional property 'rum' is not allowed");
  });
});

describe('ci.yml runs what .ci/run runs', () => {
  const ci = readWorkflow('ci.yml');
  const jobs = Object.values(ci.jobs);

  test('on every push and pull request, and when the release workflow calls it', () => {
    expect(Object.keys(ci.on).sort()).toEqual(['pull_request', 'push', 'workflow_call']);
    // Every branch; tags are the release workflow's, which calls this one.
    expect(ci.on.push).toEqual({ branches: ['**'] });
  });

  test('on the Node versions .ci/run tests besides the machine’s, in Debian', () => {
    expect(jobs).toHaveLength(1);
    const [job] = jobs;
    expect(job!.strategy!.matrix.node).toEqual(ciRunNodeMajors);
    const image = typeof job!.container === 'string' ? job!.container : job!.container!.image;
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub Actions expression, written as the workflow has it
    expect(image).toBe('node:${{ matrix.node }}-bookworm');
  });

  test('every command it runs is one .ci/run runs, and it runs the full gate, npm test', () => {
    const [job] = jobs;
    const commands = runLines(job!.steps!).filter((line) => /^(npm|npx) /.test(line));
    expect(
      commands.filter((command) => !ciRunCommands.has(command)),
      'commands .ci/run does not run',
    ).toEqual([]);
    expect(commands).toEqual(['npm ci --no-audit --no-fund', 'npm test']);
    // .ci/run's other gates (the fast lane and the package test on 22 and 24) are inside npm test, which
    // ends in a vitest run of both lanes (the type tests of test:fast are in its typecheck).
    expect(ciRunCommands).toEqual(
      new Set(['npm ci --no-audit --no-fund', 'npm test', 'npm run test:fast', 'npx vitest run --project slow test/package']),
    );
    const scripts = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).scripts;
    expect(scripts.test).toMatch(/&& npm run typecheck && vitest run --project fast --project slow$/);
  });

  test('with the Debian packages and the environment .ci/run sets', () => {
    const [job] = jobs;
    const install = runLines(job!.steps!).find((line) => line.startsWith('apt-get install'))!;
    expect(
      install
        .split(/\s+/)
        .filter((word) => ciRunPackages.includes(word))
        .sort(),
    ).toEqual(ciRunPackages);
    expect(ciRunPackages).toEqual(['chromium', 'curl', 'wrk']);
    expect(job!.env).toMatchObject({ CI: 'true', ...ciRunEnv });
  });
});

describe('release.yml', () => {
  const release = readWorkflow('release.yml');
  const jobs = release.jobs;
  const everyRun = (job: Job) => runLines(job.steps ?? []);
  /** The jobs `name` waits for, directly or through others. */
  const upstream = (name: string): string[] => {
    const needs = jobs[name]!.needs ?? [];
    return [...new Set((Array.isArray(needs) ? needs : [needs]).flatMap((need) => [need, ...upstream(need)]))];
  };

  test('runs on a version tag only', () => {
    expect(release.on).toEqual({ push: { tags: ['v*'] } });
  });

  test('runs the CI workflow first, and publishes nothing before it passed', () => {
    const gate = Object.entries(jobs).find(([, job]) => job.uses === './.github/workflows/ci.yml');
    expect(gate, 'a job that calls ci.yml').toBeDefined();
    for (const [name, job] of Object.entries(jobs)) if (job !== gate![1]) expect(upstream(name), name).toContain(gate![0]);
  });

  test('checks the tag against the one version before building the site or publishing', () => {
    for (const name of ['site', 'npm']) expect(everyRun(jobs[name]!)).toContain('npm run release -- --check-tag "$GITHUB_REF_NAME"');
  });

  test('deploys dist/site, as npm run docs builds it, to GitHub Pages', () => {
    expect(everyRun(jobs.site!)).toContain('npm run docs');
    const upload = jobs.site!.steps!.find((step) => step.uses?.startsWith('actions/upload-pages-artifact@'));
    expect(upload?.with).toEqual({ path: 'dist/site' });
    expect(jobs.pages!.permissions).toEqual({ pages: 'write', 'id-token': 'write' });
    expect(jobs.pages!.steps!.some((step) => step.uses?.startsWith('actions/deploy-pages@'))).toBe(true);
  });

  test('publishes both packages to npm with provenance', () => {
    expect(everyRun(jobs.npm!)).toContain('npm publish --provenance --access public -w packages/contract -w packages/mock');
    expect(jobs.npm!.permissions).toMatchObject({ 'id-token': 'write' });
    expect(release).not.toHaveProperty('permissions.id-token');
  });
});
