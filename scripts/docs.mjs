#!/usr/bin/env node
// Builds the reference docs: dist/docs/index.html, one self-contained file (Redoc inlined, contract
// inlined) that works opened from disk with no network.
//   node scripts/docs.mjs               build (regenerates generated/ first only when openapi/ is newer)
//   node scripts/docs.mjs --check FILE  only run the offline check on an existing HTML file
//     add --no-redoc for a page without Redoc (the static site's own pages, scripts/site.mjs)
// The build fails loudly when the page would load anything from another host.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { ensureGenerated, root } from './freshness.mjs';

const bundled = join(root, 'generated', 'openapi.yaml');
const output = join(root, 'dist', 'docs', 'index.html');
const template = join(root, 'scripts', 'docs-template.hbs');

// Redoc 3 draws "API docs by <Redocly logo>" in the sidebar from cdn.redoc.ly, even with --inlineBundle.
// The same attribution, drawn locally, keeps the page free of outside requests.
const localLogo =
  'data:image/svg+xml,' +
  encodeURIComponent(
    '<svg xmlns="http://www.w3.org/2000/svg" width="64" height="16" viewBox="0 0 64 16">' +
      '<text x="0" y="12" font-family="sans-serif" font-size="12" fill="#0044d4">Redocly</text></svg>',
  );
const cdnLogos = ['https://cdn.redoc.ly/redoc/logo-mini-full.svg', 'https://cdn.redoc.ly/redoc/logo-mini.svg'];

/** Lists every way the page could reach another host; empty when it is self-contained. */
function outsideReferences(html, { redoc = true } = {}) {
  const found = [];
  // Markup that makes the browser fetch on its own: scripts, styles, images, frames, media, preloads.
  const fetchingTag = /<(script|link|img|iframe|frame|source|video|audio|embed|object|track|input)\b[^>]*>/gi;
  for (const [tag] of html.matchAll(fetchingTag)) {
    const attribute = /\b(src|href|srcset|data|poster)\s*=\s*["']?\s*((?:https?:)?\/\/[^"'\s>]+)/i.exec(tag);
    if (attribute) found.push(`<${tag.slice(1).split(/[\s>]/)[0]}> loads ${attribute[2]}`);
  }
  for (const [, url] of html.matchAll(/@import\s+(?:url\()?\s*["']?((?:https?:)?\/\/[^"')\s;]+)/gi)) {
    found.push(`CSS @import of ${url}`);
  }
  for (const [, url] of html.matchAll(/url\(\s*["']?((?:https?:)?\/\/[^"')\s]+)/gi)) {
    found.push(`CSS url() of ${url}`);
  }
  for (const host of ['cdn.redoc.ly', 'cdn.redocly.com/redoc/', 'fonts.googleapis.com', 'fonts.gstatic.com']) {
    if (html.includes(host)) found.push(`a reference to ${host}`);
  }
  // Redoc posts usage traces to otel.cloud.redocly.com unless its options say otherwise; build-docs
  // writes disableTelemetry from REDOCLY_TELEMETRY, overriding --openapi.disableTelemetry.
  const options = /const __redoc_options = (\{.*\});/.exec(html);
  if (redoc && !options) found.push('no __redoc_options (Redoc template changed?): cannot tell whether telemetry is off');
  else if (redoc && JSON.parse(options[1]).disableTelemetry !== true) found.push('Redoc telemetry is on (disableTelemetry is not true)');
  if (!/<meta http-equiv="Content-Security-Policy"[^>]*default-src 'none'/.test(html)) {
    found.push("no Content-Security-Policy meta with default-src 'none' (scripts/docs-template.hbs not used?)");
  }
  return found;
}

function build() {
  const started = performance.now();
  ensureGenerated();
  mkdirSync(dirname(output), { recursive: true });
  // Built beside the page and renamed over it at the end, so that a server showing the page (npm start)
  // never reads a half-written file while it is rebuilt.
  let html = '';
  const draft = join(dirname(output), `.index.${process.pid}.tmp.html`);
  const redocly = join(root, 'node_modules', '.bin', 'redocly');
  const args = ['build-docs', bundled, '-o', draft, '--inlineBundle', '--template', template];
  try {
    try {
      execFileSync(redocly, args, {
        cwd: root,
        stdio: ['ignore', 'pipe', 'pipe'],
        // REDOCLY_TELEMETRY=off also switches off the telemetry of the page itself (see outsideReferences).
        env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
      });
    } catch (error) {
      process.stderr.write(String(error.stderr ?? error.message));
      throw new Error(`redocly build-docs failed (${relative(root, redocly)} ${args.join(' ')}).`);
    }

    html = readFileSync(draft, 'utf8');
    for (const logo of cdnLogos) html = html.replaceAll(logo, localLogo);
    const problems = outsideReferences(html);
    if (problems.length > 0) {
      rmSync(output, { force: true });
      throw new Error(
        `the docs page would make requests to other hosts, so it was not written:\n  - ${problems.join('\n  - ')}\n` +
          'It must work offline: fix scripts/docs.mjs or scripts/docs-template.hbs.',
      );
    }
    writeFileSync(draft, html);
    renameSync(draft, output);
  } finally {
    rmSync(draft, { force: true });
  }
  const kib = Math.round(Buffer.byteLength(html) / 1024);
  console.log(`docs: wrote ${relative(root, output)} (${kib} KiB, offline) in ${Math.round(performance.now() - started)} ms`);
}

try {
  const checkAt = process.argv.indexOf('--check');
  if (checkAt === -1) {
    build();
  } else {
    const file = process.argv[checkAt + 1];
    if (!file) throw new Error('--check needs the path of an HTML file, e.g. --check dist/docs/index.html');
    const problems = outsideReferences(readFileSync(file, 'utf8'), { redoc: !process.argv.includes('--no-redoc') });
    if (problems.length > 0) throw new Error(`${file} is not self-contained:\n  - ${problems.join('\n  - ')}`);
    console.log(`docs: ${file} makes no request to another host`);
  }
} catch (error) {
  console.error(`docs: ${error instanceof Error ? error.message : error}`);
  process.exitCode = 1;
}
