// The seeds' flows, written as Arazzo workflows in openapi/flows/, run with Redocly Respect (a child process
// per file) against the real mock (startMockServer on port 0) and the example site the flows log in to
// (test/mock/flow-site.ts). A flow passes only when Respect exits 0 and its JSON report shows every
// workflow of the file run, every step run and passed: success criteria, and for the contract's operations
// Respect's own status code, content type and schema checks against openapi/openapi.yaml.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateUIDSignature } from '../../src/index.js';
import { startMockServer, type MockServer } from '../../src/mock/index.js';
import { startFlowSite, type FlowSite } from './flow-site.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const flowsDir = join(root, 'openapi', 'flows');
const redocly = join(root, 'node_modules', '.bin', 'redocly');
const env = { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true', NO_COLOR: '1' };
const FLOWS = ['social-registration.arazzo.yaml', 'site-login.arazzo.yaml', 'set-uid.arazzo.yaml', 'lifecycle.arazzo.yaml'];

interface Run {
  code: number;
  output: string;
}

function redoclyRun(args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(redocly, args, { cwd: root, env, timeout: 90_000, maxBuffer: 32 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, output: `${stdout}\n${stderr}` });
    });
  });
}

interface Step {
  stepId: string;
  status: string;
  response?: { statusCode: number; body: any };
  checks: Array<{ name: string; passed: boolean; message?: string }>;
}
interface Workflow {
  workflowId: string;
  status: string;
  executedSteps: Step[];
}

let mock: MockServer;
let site: FlowSite;
let scratch: string;

/** Runs one flow file; returns Respect's exit code, its printed report and its JSON report's workflows. */
async function respect(file: string, inputs: Record<string, string> = {}): Promise<Run & { workflows: Workflow[] }> {
  const report = join(scratch, `${file}.${Date.now()}.json`);
  const run = await redoclyRun([
    'respect',
    join('openapi', 'flows', file),
    '--server',
    `socialize=${mock.url},site=${site.url}`,
    '--input',
    JSON.stringify({ gigyaUrl: mock.url, siteUrl: site.url, apiKey: mock.apiKey, secret: mock.secret, ...inputs }),
    '--json-output',
    report,
    '--max-fetch-timeout',
    '10000',
  ]);
  let workflows: Workflow[] = [];
  try {
    const json = JSON.parse(readFileSync(report, 'utf8'));
    workflows = Object.values<any>(json.files).flatMap((f) => f.executedWorkflows ?? []);
  } catch {
    // No report: the run failed before executing anything; the exit code and output say why.
  }
  return { ...run, workflows };
}

/** The workflowIds a flow file declares. */
function declaredWorkflows(file: string): string[] {
  const doc = parse(readFileSync(join(flowsDir, file), 'utf8'));
  return doc.workflows.map((w: { workflowId: string }) => w.workflowId);
}

/** Every failed check of a run, readable, for the assertion message. */
function failures(workflows: Workflow[]): string[] {
  return workflows.flatMap((w) =>
    w.executedSteps.flatMap((s) => s.checks.filter((c) => !c.passed).map((c) => `${w.workflowId}/${s.stepId}: ${c.name}: ${c.message ?? ''}`)),
  );
}

function expectAllPassed(file: string, run: Run & { workflows: Workflow[] }): void {
  const context = `${file}\n${failures(run.workflows).join('\n')}\n${run.output.slice(-3000)}`;
  expect(run.code, context).toBe(0);
  expect(run.workflows.map((w) => w.workflowId).sort(), context).toEqual(declaredWorkflows(file).sort());
  const doc = parse(readFileSync(join(flowsDir, file), 'utf8'));
  for (const workflow of run.workflows) {
    expect(workflow.status, context).toBe('success');
    const declaredSteps = doc.workflows.find((w: { workflowId: string }) => w.workflowId === workflow.workflowId).steps;
    // Every declared step ran (a workflow that stops early cannot pass), and each with its checks passed.
    expect(
      workflow.executedSteps.map((s) => s.stepId),
      context,
    ).toEqual(declaredSteps.map((s: { stepId: string }) => s.stepId));
    for (const step of workflow.executedSteps) {
      expect(step.status, `${workflow.workflowId}/${step.stepId}\n${context}`).toBe('success');
      expect(step.checks.length, `${workflow.workflowId}/${step.stepId} has checks`).toBeGreaterThan(0);
      expect(
        step.checks.every((c) => c.passed),
        context,
      ).toBe(true);
    }
  }
}

/** The executed step with this id in a run. */
function step(run: { workflows: Workflow[] }, workflowId: string, stepId: string): Step {
  const found = run.workflows.find((w) => w.workflowId === workflowId)?.executedSteps.find((s) => s.stepId === stepId);
  if (!found) throw new Error(`step ${workflowId}/${stepId} did not run`);
  return found;
}

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'socialize-flows-'));
  mock = await startMockServer({ port: 0 });
  site = await startFlowSite({ secret: mock.secret });
});

afterAll(async () => {
  await site?.close();
  await mock?.close();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

describe('Arazzo flows in openapi/flows/', () => {
  it('lint clean (no errors, no warnings) with their own configuration', { timeout: 60_000 }, async () => {
    const files = [...FLOWS, 'site.openapi.yaml'].map((f) => join('openapi', 'flows', f));
    const run = await redoclyRun(['lint', '--config', join('openapi', 'flows', 'redocly.yaml'), '--format', 'json', ...files]);
    // One JSON report per file, printed back to back.
    const reports = JSON.parse(`[${run.output.slice(run.output.indexOf('{'), run.output.lastIndexOf('}') + 1).replace(/\}\{/g, '},{')}]`);
    expect(run.code, run.output).toBe(0);
    expect(reports).toHaveLength(files.length);
    for (const report of reports) expect(report.totals, JSON.stringify(report.problems)).toMatchObject({ errors: 0, warnings: 0 });
  });

  it('social registration: social login through the redirect, then notifyRegistration with a siteUID', { timeout: 60_000 }, async () => {
    const before = site.redirects.length;
    const run = await respect('social-registration.arazzo.yaml');
    expectAllPassed('social-registration.arazzo.yaml', run);
    // The login really went through the mock's redirect to the site, which verified UIDSignature.
    const arrived = site.redirects.slice(before);
    expect(arrived).toEqual([{ UID: expect.any(String), verified: true }]);
    expect(step(run, 'newSocialUser', 'notifyRegistration').response?.body.errorCode).toBe(0);
  });

  it('site login: notifyLogin answers with a UID whose UIDSignature verifies with the test secret', { timeout: 60_000 }, async () => {
    const run = await respect('site-login.arazzo.yaml');
    expectAllPassed('site-login.arazzo.yaml', run);
    const body = step(run, 'siteLogin', 'notifyLogin').response?.body;
    expect(body.UID).toBe('site-user-42');
    const { UID, UIDSignature, signatureTimestamp } = body;
    await expect(validateUIDSignature({ secret: mock.secret, UID, UIDSignature, signatureTimestamp })).resolves.toBe(true);
    // The same answer does not verify with another secret: the check above is not vacuous.
    await expect(validateUIDSignature({ secret: 'AAECAwQFBgcICQoLDA0ODw==', UID, UIDSignature, signatureTimestamp })).resolves.toBe(false);
  });

  it('setUID: after a social login, and refusing a missing, non-ASCII or too long siteUID', { timeout: 60_000 }, async () => {
    const before = site.redirects.length;
    const run = await respect('set-uid.arazzo.yaml');
    expectAllPassed('set-uid.arazzo.yaml', run);
    expect(site.redirects.slice(before)).toEqual([{ UID: expect.any(String), verified: true }]);
  });

  it('the lifecycle, remembered: a social user registers and returns under the siteUID; a site user registers and returns; setUID on an unknown UID refused', {
    timeout: 90_000,
  }, async () => {
    const before = site.redirects.length;
    const run = await respect('lifecycle.arazzo.yaml');
    expectAllPassed('lifecycle.arazzo.yaml', run);
    expect(site.redirects.slice(before)).toEqual([
      { UID: expect.stringMatching(/^_gid_/), verified: true },
      { UID: 'site-user-flow-2001', verified: true },
    ]);
    expect(step(run, 'siteUserReturns', 'newSiteUser').response?.body.isNewUser).toBe(true);
    expect(step(run, 'siteUserReturns', 'returningSiteUser').response?.body).not.toHaveProperty('isNewUser');
    // The same run again meets the accounts the first one made: the first login is no longer new.
    const again = await respect('lifecycle.arazzo.yaml');
    expect(again.code).not.toBe(0);
    expect(step(again, 'socialUserReturns', 'firstLogin').status).not.toBe('success');
  });

  it('a flow that goes wrong fails the run (the runner is not blind)', { timeout: 60_000 }, async () => {
    const run = await respect('site-login.arazzo.yaml', { password: 'not the password' });
    expect(run.code).not.toBe(0);
    expect(step(run, 'siteLogin', 'siteLogin').status).not.toBe('success');
    expect(run.workflows.find((w) => w.workflowId === 'siteLogin')?.status).not.toBe('success');
  });
});
