// The pieces of scripts/site.mjs that decide what the docs site holds: the manifest of markdown pages
// (docs/site-pages.json; a bad entry is refused with the field named) and which CHANGELOG.md section the
// "What changed" page shows. The built site in a browser: site.test.ts.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, test } from 'vitest';
// @ts-expect-error a plain ES module of the build tooling, without types
import { newestChanges, readManifest } from '../../scripts/site.mjs';

const docsScript = fileURLToPath(new URL('../../scripts/docs.mjs', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'site-manifest-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function manifest(pages: unknown): string {
  const file = join(dir, `m-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, JSON.stringify({ pages }));
  return file;
}

describe('docs/site-pages.json', () => {
  test('the repository’s manifest is valid and lists existing markdown files', () => {
    const pages: Array<{ source: string; page: string; title: string }> = readManifest();
    expect(pages.length).toBeGreaterThan(0);
    for (const page of pages) expect(page.source).toMatch(/\.md$/);
  });

  test('a page is one line: source, page, title', () => {
    expect(readManifest(manifest([{ source: 'docs/DECISIONS.md', page: 'why.html', title: ' Why ' }]))).toEqual([
      { source: 'docs/DECISIONS.md', page: 'why.html', title: 'Why' },
    ]);
  });

  test.each([
    [{ source: 'docs/DECISIONS.txt', page: 'a.html', title: 'A' }, /pages\[0\]\.source must be the path of a \.md file/],
    [{ source: 'docs/NOPE.md', page: 'a.html', title: 'A' }, /pages\[0\]\.source: docs\/NOPE\.md does not exist/],
    [{ source: 'docs/DECISIONS.md', page: '../a.html', title: 'A' }, /pages\[0\]\.page must be a file name/],
    [{ source: 'docs/DECISIONS.md', page: 'index.html', title: 'A' }, /pages\[0\]\.page: index\.html is already a page/],
    [{ source: 'docs/DECISIONS.md', page: 'a.html', title: '' }, /pages\[0\]\.title must be a non-empty string/],
  ])('refuses %j, naming the field', (entry, message) => {
    expect(() => readManifest(manifest([entry]))).toThrow(message);
  });

  test('refuses the same page twice, and a manifest without a list', () => {
    const twice = { source: 'docs/DECISIONS.md', page: 'a.html', title: 'A' };
    expect(() => readManifest(manifest([twice, twice]))).toThrow(/pages\[1\]\.page: a\.html is already a page/);
    expect(() => readManifest(manifest('docs/DECISIONS.md'))).toThrow(/"pages" must be a list/);
  });
});

describe('"What changed"', () => {
  test('shows Unreleased while it lists changes', () => {
    const text = '# Changelog\n\n## [Unreleased]\n\n### Added\n\n- New.\n\n## [0.1.0] - 2026-01-02\n\n- Old.\n';
    expect(newestChanges(text)).toMatchObject({ heading: '[Unreleased]', body: '### Added\n\n- New.' });
  });

  test('shows the newest release once Unreleased is empty (right after a release)', () => {
    const text = '# Changelog\n\n## [Unreleased]\n\n## [0.2.0] - 2026-03-04\n\n- Newer.\n\n## [0.1.0] - 2026-01-02\n\n- Old.\n';
    expect(newestChanges(text)).toMatchObject({ heading: '[0.2.0] - 2026-03-04', body: '- Newer.' });
  });

  test('stops the build when there is nothing to show', () => {
    expect(() => newestChanges('# Changelog\n\n## [Unreleased]\n')).toThrow(/no "## " section with content/);
  });
});

describe('the offline check on the site’s own pages (scripts/docs.mjs --check FILE --no-redoc)', () => {
  const csp = `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`;
  function check(html: string, ...flags: string[]): { status: number; output: string } {
    const file = join(dir, `page-${Math.random().toString(36).slice(2)}.html`);
    writeFileSync(file, html);
    try {
      return { status: 0, output: execFileSync(process.execPath, [docsScript, '--check', file, ...flags], { stdio: 'pipe', encoding: 'utf8' }) };
    } catch (error) {
      const failed = error as { status: number; stderr: string };
      return { status: failed.status, output: failed.stderr };
    }
  }

  test('passes a page without Redoc only when told it is not a Redoc page', () => {
    const page = `<html><head>${csp}</head><body><a href="changes.html">What changed</a></body></html>`;
    expect(check(page, '--no-redoc')).toMatchObject({ status: 0 });
    expect(check(page)).toMatchObject({ status: 1, output: expect.stringContaining('no __redoc_options') });
  });

  test('still names outside references and a missing Content-Security-Policy', () => {
    const { status, output } = check('<html><body><img src="https://example.org/a.png"></body></html>', '--no-redoc');
    expect(status).toBe(1);
    expect(output).toContain('<img> loads https://example.org/a.png');
    expect(output).toContain('no Content-Security-Policy meta');
  });
});
