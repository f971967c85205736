// The static offline check of scripts/docs.mjs stops a docs build that would reach other hosts. It must name
// each way a page can do that; the browser test covers the page that is actually built.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, test } from 'vitest';

const script = fileURLToPath(new URL('../../scripts/docs.mjs', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'docs-check-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const csp = `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'">`;
const redocOptions = (telemetryOff: boolean) =>
  `<script type="module">const __redoc_options = {"skipBundle":true,"disableTelemetry":${telemetryOff}};</script>`;

function check(html: string): { status: number; output: string } {
  const file = join(dir, `page-${Math.random().toString(36).slice(2)}.html`);
  writeFileSync(file, html);
  try {
    const stdout = execFileSync(process.execPath, [script, '--check', file], { stdio: 'pipe', encoding: 'utf8' });
    return { status: 0, output: stdout };
  } catch (error) {
    const failed = error as { status: number; stderr: string };
    return { status: failed.status, output: failed.stderr };
  }
}

describe('docs offline check (node scripts/docs.mjs --check FILE)', () => {
  test('passes a page that loads nothing from elsewhere, links to other sites being fine', () => {
    const page = `<html><head>${csp}</head><body><a href="https://github.com/">source</a>${redocOptions(true)}</body></html>`;
    expect(check(page)).toEqual({ status: 0, output: expect.stringContaining('makes no request to another host') });
  });

  test('names every outside reference, missing CSP and telemetry left on', () => {
    const page = [
      '<html><head>',
      '<script src="https://cdn.redocly.com/redoc/v3.0.1/bundles/redoc.standalone.js"></script>',
      '<link rel="stylesheet" href="//fonts.googleapis.com/css?family=Roboto">',
      '<style>@import url("https://example.org/a.css"); body { background: url(https://example.org/b.png) }</style>',
      '</head><body><img src="https://cdn.redoc.ly/redoc/logo-mini.svg">',
      redocOptions(false),
      '</body></html>',
    ].join('\n');
    const { status, output } = check(page);
    expect(status).toBe(1);
    for (const expected of [
      '<script> loads https://cdn.redocly.com/redoc/v3.0.1/bundles/redoc.standalone.js',
      '<link> loads //fonts.googleapis.com/css?family=Roboto',
      '<img> loads https://cdn.redoc.ly/redoc/logo-mini.svg',
      'CSS @import of https://example.org/a.css',
      'CSS url() of https://example.org/b.png',
      'Redoc telemetry is on',
      'no Content-Security-Policy meta',
    ]) {
      expect(output).toContain(expected);
    }
  });

  test('refuses a page whose telemetry setting it cannot find', () => {
    const { status, output } = check(`<html><head>${csp}</head><body></body></html>`);
    expect(status).toBe(1);
    expect(output).toContain('cannot tell whether telemetry is off');
  });

  test('says how to call it when the file is missing from the command line', () => {
    let stderr = '';
    try {
      execFileSync(process.execPath, [script, '--check'], { stdio: 'pipe', encoding: 'utf8' });
    } catch (error) {
      stderr = (error as { stderr: string }).stderr;
    }
    expect(stderr).toContain('--check needs the path of an HTML file');
  });
});
