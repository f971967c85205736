#!/usr/bin/env node
// Assembles the docs as a static site, dist/site/, for GitHub Pages or any static host, at any path:
//   index.html                  the reference page scripts/docs.mjs builds (dist/docs/index.html, rebuilt
//                               only when stale), with the site's navigation added
//   redoc.<hash>.js             the Redoc bundle that page loads, copied beside it (scripts/docs-files.mjs)
//   changes.html                "What changed": CHANGELOG.md's newest entry with content, rendered here
//   openapi.yaml, openapi.json  the bundled contract (generated/openapi.yaml)
//   <page>.html                 each markdown page listed in docs/site-pages.json
// Every link between the pages is relative and every page passes the offline check of scripts/docs.mjs,
// so the folder works opened from disk and served under a sub-path, and no page fetches from another host.
//   node scripts/site.mjs      (`npm run docs` runs it after scripts/docs.mjs)
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, posix, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Marked } from 'marked';
import { parse } from 'yaml';
import { pageScripts } from './docs-files.mjs';
import { ensureDocs, ensureGenerated, root } from './freshness.mjs';
import { changelogSections } from './release.mjs';

const output = join(root, 'dist', 'site');
const manifestFile = 'docs/site-pages.json';
const bundled = 'generated/openapi.yaml';
/** Site files that are not manifest pages, and the repository file each one stands for. */
const fixedFiles = { 'index.html': null, 'changes.html': 'CHANGELOG.md', 'openapi.yaml': bundled, 'openapi.json': null };

/** The pages docs/site-pages.json lists, checked: [{ source, page, title }]. */
export function readManifest(file = join(root, manifestFile)) {
  let manifest;
  try {
    manifest = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`${manifestFile} is not readable JSON: ${error.message}`);
  }
  if (!Array.isArray(manifest?.pages)) throw new Error(`${manifestFile}: "pages" must be a list of { source, page, title }.`);
  const seen = new Set(Object.keys(fixedFiles));
  return manifest.pages.map((entry, i) => {
    const where = `${manifestFile}: pages[${i}]`;
    if (typeof entry?.source !== 'string' || !entry.source.endsWith('.md')) throw new Error(`${where}.source must be the path of a .md file.`);
    if (!existsSync(join(root, entry.source))) throw new Error(`${where}.source: ${entry.source} does not exist.`);
    if (typeof entry.page !== 'string' || !/^[a-z0-9][a-z0-9-]*\.html$/.test(entry.page)) {
      throw new Error(`${where}.page must be a file name such as web-sdk.html (lower case, digits, dashes).`);
    }
    if (seen.has(entry.page)) throw new Error(`${where}.page: ${entry.page} is already a page of the site.`);
    seen.add(entry.page);
    if (typeof entry.title !== 'string' || entry.title.trim() === '') throw new Error(`${where}.title must be a non-empty string.`);
    return { source: entry.source, page: entry.page, title: entry.title.trim() };
  });
}

/** CHANGELOG.md's newest section that says something (Unreleased while it has entries): { heading, body }. */
export function newestChanges(changelog) {
  const entry = changelogSections(changelog).find((section) => section.body !== '');
  if (!entry) throw new Error('CHANGELOG.md has no "## " section with content for the "What changed" page.');
  return entry;
}

const escapeHtml = (text) => text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);

/**
 * Renders the markdown of repository file `from`, pointing its links at the site: a link to a file that is
 * on the site becomes a link to its page; a relative link to anything else stops the build, since it
 * would be broken there.
 */
function renderMarkdown(markdown, from, siteFileOf) {
  const problems = [];
  const marked = new Marked({
    gfm: true,
    walkTokens(token) {
      if (token.type !== 'link' && token.type !== 'image') return;
      if (/^([a-z][a-z0-9+.-]*:|#)/i.test(token.href)) return; // another site, mail, or this page
      if (token.type === 'image') return problems.push(`the image ${token.href} is not on the site (use a data: URL)`);
      const [path, fragment] = token.href.split('#');
      const target = siteFileOf.get(posix.normalize(posix.join(posix.dirname(from), path)));
      if (!target) return problems.push(`the link to ${token.href} would be broken: not a page of the site (${manifestFile})`);
      token.href = fragment === undefined ? target : `${target}#${fragment}`;
    },
  });
  const html = marked.parse(markdown);
  if (problems.length > 0) throw new Error(`${from}:\n  - ${problems.join('\n  - ')}`);
  return html;
}

/** The navigation bar every page carries: relative links only. */
function navigation(pages, current, version) {
  const link = (href, label, extra = '') =>
    `<a href="${href}"${href === current ? ' aria-current="page"' : ''}${extra}>${escapeHtml(label)}</a>`;
  const items = [
    link('index.html', 'Reference'),
    link('changes.html', 'What changed'),
    ...pages.map((p) => link(p.page, p.title)),
    link('openapi.yaml', 'openapi.yaml', ' download'),
    link('openapi.json', 'openapi.json', ' download'),
  ];
  return `<nav class="site-nav" aria-label="Documentation"><span class="site-nav-name">gigya-socialize ${escapeHtml(version)}</span>${items.join('')}</nav>`;
}

const navStyle = `<style>
  .site-nav { display: flex; flex-wrap: wrap; gap: 0.25rem 1.25rem; align-items: baseline; padding: 0.6rem 1.25rem;
    background: #0b2545; font: 14px/1.4 system-ui, sans-serif; }
  .site-nav a { color: #e8eef7; text-decoration: none; }
  .site-nav a:hover, .site-nav a[aria-current] { text-decoration: underline; color: #fff; }
  .site-nav-name { color: #9fb4d0; font-weight: 600; }
</style>`;

/** A page of the site around rendered markdown: the same Content-Security-Policy as the reference page. */
function sitePage(title, nav, body) {
  return `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>${escapeHtml(title)} — gigya-socialize</title>
  ${navStyle}
  <style>
    body { margin: 0; font: 16px/1.55 system-ui, sans-serif; color: #1f2933; }
    main { max-width: 52rem; margin: 0 auto; padding: 1rem 1.25rem 3rem; }
    code { font-size: 0.9em; background: #f1f4f8; padding: 0.1em 0.3em; border-radius: 3px; }
    pre code { display: block; padding: 0.75rem; overflow-x: auto; }
  </style>
</head>
<body>
${nav}
<main class="site-page">
${body}
</main>
</body>
</html>
`;
}

/** Every relative href/src in `html` must name a file of the site; root-absolute ones break under a sub-path. */
function brokenLinks(html, files) {
  const problems = [];
  for (const [, url] of html.matchAll(/\b(?:href|src)="([^"]*)"/g)) {
    if (/^([a-z][a-z0-9+.-]*:|#|\/\/)/i.test(url)) continue;
    if (url.startsWith('/')) problems.push(`${url} is root-absolute: it leaves the site's folder under a sub-path`);
    else if (!files.has(url.split('#')[0])) problems.push(`${url} is not a file of the site`);
  }
  return problems;
}

/** The offline check of scripts/docs.mjs on one written page; throws with its findings. */
function offlineCheck(file, { redoc }) {
  const args = [join(root, 'scripts', 'docs.mjs'), '--check', file, ...(redoc ? [] : ['--no-redoc'])];
  try {
    execFileSync(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    throw new Error(String(error.stderr || error.message).trim().replaceAll(dirname(file), relative(root, output)));
  }
}

/** Writes every file of the site into `dir`; returns each HTML page as { html, redoc, checkLinksOf?, scripts? } for the checks. */
function writeSite(dir, pages) {
  const contract = parse(readFileSync(join(root, bundled), 'utf8'));
  const version = String(contract.info.version);
  const siteFileOf = new Map(Object.entries(fixedFiles).filter(([, from]) => from).map(([file, from]) => [from, file]));
  for (const page of pages) siteFileOf.set(page.source, page.page);
  const written = {};
  const write = (file, text, redoc = false) => {
    writeFileSync(join(dir, file), text);
    if (file.endsWith('.html')) written[file] = { html: text, redoc };
  };

  const reference = readFileSync(join(root, 'dist', 'docs', 'index.html'), 'utf8');
  const body = /<body\b[^>]*>/i.exec(reference);
  if (!body) throw new Error('dist/docs/index.html has no <body> tag to put the site navigation after.');
  const at = body.index + body[0].length;
  const nav = navigation(pages, 'index.html', version);
  write('index.html', `${reference.slice(0, at)}\n${navStyle}\n${nav}${reference.slice(at)}`, true);
  written['index.html'].checkLinksOf = nav;
  const scripts = pageScripts(reference);
  for (const name of scripts) copyFileSync(join(root, 'dist', 'docs', name), join(dir, name));
  written['index.html'].scripts = scripts;

  copyFileSync(join(root, bundled), join(dir, 'openapi.yaml'));
  write('openapi.json', `${JSON.stringify(contract, null, 2)}\n`);

  const changes = newestChanges(readFileSync(join(root, 'CHANGELOG.md'), 'utf8'));
  const changesBody = `<h1>What changed</h1>\n<h2>${escapeHtml(changes.heading.replace(/^\[([^\]]+)\]/, '$1'))}</h2>\n` +
    renderMarkdown(changes.body, 'CHANGELOG.md', siteFileOf) +
    '<p><small>The newest entry of CHANGELOG.md, which lists every release.</small></p>';
  write('changes.html', sitePage('What changed', navigation(pages, 'changes.html', version), changesBody));

  for (const page of pages) {
    const html = renderMarkdown(readFileSync(join(root, page.source), 'utf8'), page.source, siteFileOf);
    write(page.page, sitePage(page.title, navigation(pages, page.page, version), html));
  }
  return written;
}

export function buildSite() {
  const started = performance.now();
  ensureGenerated();
  ensureDocs((line) => console.log(`site: ${line}`));
  const pages = readManifest();
  // Assembled beside dist/site and moved over it at the end: a failed build leaves the previous site whole.
  const draft = join(dirname(output), `.site.${process.pid}.tmp`);
  rmSync(draft, { recursive: true, force: true });
  mkdirSync(draft, { recursive: true });
  try {
    const written = writeSite(draft, pages);
    const files = new Set([...Object.keys(fixedFiles), ...written['index.html'].scripts, ...pages.map((p) => p.page)]);
    for (const [file, { html, redoc, checkLinksOf }] of Object.entries(written)) {
      const broken = brokenLinks(checkLinksOf ?? html, files);
      if (broken.length > 0) throw new Error(`${file} has links that do not work on the site:\n  - ${broken.join('\n  - ')}`);
      offlineCheck(join(draft, file), { redoc });
    }
    rmSync(output, { recursive: true, force: true });
    renameSync(draft, output);
    console.log(`site: wrote ${relative(root, output)}/ (${[...files].join(', ')}) in ${Math.round(performance.now() - started)} ms`);
  } finally {
    rmSync(draft, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  try {
    buildSite();
  } catch (error) {
    console.error(`site: ${error instanceof Error ? error.message : error}`);
    process.exitCode = 1;
  }
}
