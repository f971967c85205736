#!/usr/bin/env node
// Builds the reference docs: dist/docs/index.html and Redoc's bundle beside it, redoc.<hash>.js (the contract
// inlined in the page), which work opened from disk with no network. The bundle is its own file, loaded with
// `defer`, so that Chromium parses and compiles it off the main thread while it downloads (an inline script
// is compiled on the main thread, and makes the HTML parser scan 2.3 MB); a classic script, not a module,
// because a page opened from disk cannot load a module (file: has no origin).
//   node scripts/docs.mjs               build (regenerates generated/ first only when openapi/ is newer)
//   node scripts/docs.mjs --check FILE  only run the offline check on an existing HTML file
//     add --no-redoc for a page without Redoc (the static site's own pages, scripts/site.mjs)
// The build fails loudly when the page would load anything from another host.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { parse, stringify } from 'yaml';
import { pageScripts } from './docs-files.mjs';
import { ensureGenerated, root } from './freshness.mjs';
import { markProblems, uncertaintiesMarkdown } from './uncertainties.mjs';

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

/**
 * Joins the lines of each paragraph. Markdown reads a single line break as a space, but Redoc's search
 * index drops it, so "Gigya\nhas" would show as "Gigyahas" in a result. Code blocks, tables, lists,
 * headings and quotes keep their lines.
 */
function unwrapParagraphs(text) {
  const out = [];
  let fenced = false;
  for (const line of text.split('\n')) {
    const trimmed = line.trim();
    const fence = /^(```|~~~)/.test(trimmed);
    const previous = out.at(-1);
    const continues =
      !fenced &&
      !fence &&
      trimmed !== '' &&
      !/^(#|\||>|[-*+] |\d+\. )/.test(trimmed) &&
      previous !== undefined &&
      previous.trim() !== '' &&
      !/^\s*(#|\||```|~~~)/.test(previous);
    if (continues) out[out.length - 1] = `${previous.trimEnd()} ${trimmed}`;
    else out.push(line);
    if (fence) fenced = !fenced;
  }
  return out.join('\n');
}

/**
 * Ends every table cell and list item with a space character reference. It renders as nothing, but Redoc's
 * search index joins cells and items without a separator ("request expired403003invalid signature"), and
 * with it the words of neighbours stay apart in a result's snippet. (Runs after unwrapParagraphs, so an
 * item is one line.)
 */
function spaceTableCells(text) {
  let fenced = false;
  return text
    .split('\n')
    .map((line) => {
      if (/^\s*(```|~~~)/.test(line)) fenced = !fenced;
      if (fenced) return line;
      if (/^\s*\|/.test(line) && !/^\s*\|[\s|:-]+\|\s*$/.test(line)) return line.replace(/(\S) +\|/g, '$1 &#32; |');
      if (/^\s*([-*+]|\d+\.) \S/.test(line)) return `${line.trimEnd()} &#32;`;
      return line;
    })
    .join('\n');
}

function unwrapDescriptions(node) {
  if (Array.isArray(node)) node.forEach(unwrapDescriptions);
  else if (node && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      if (key === 'description' && typeof value === 'string') node[key] = spaceTableCells(unwrapParagraphs(value));
      else unwrapDescriptions(value);
    }
  }
}

/**
 * Replaces `from` by `to` in `text`, exactly `count` times, or refuses: the edits below rely on the shape of
 * the page and the bundle that @redocly/cli 2.77 writes, and a newer one must be looked at, not guessed at.
 */
function replaceExactly(text, from, to, count, what) {
  const found = typeof from === 'string' ? text.split(from).length - 1 : [...text.matchAll(from)].length;
  if (found !== count) throw new Error(`${what}: expected ${count} of ${from}, found ${found} (Redoc's output changed?)`);
  return typeof from === 'string' ? text.replaceAll(from, () => to) : text.replace(from, () => to);
}

/**
 * Redoc builds its search index (the search box says "Loading..." until then) from an idle callback once
 * hydrated, and in a browser without requestIdleCallback only when the reader points at the search box.
 * The edit starts it from a zero-delay timer as soon as the search box has rendered, in every browser;
 * Redoc's build still yields to the page between its slices. It saves the wait for an idle moment, not
 * the work (docs/DECISIONS.md, item 27).
 */
function searchIndexAtOnce(bundle) {
  const idle =
    'function OOe(e){if(typeof window>`u`||typeof window.requestIdleCallback!=`function`)return()=>{};' +
    'let t=window.requestIdleCallback(e);return()=>window.cancelIdleCallback(t)}';
  const atOnce = 'function OOe(e){if(typeof window>`u`)return()=>{};let t=setTimeout(e,0);return()=>clearTimeout(t)}';
  return replaceExactly(bundle, idle, atOnce, 1, "Redoc bundle's search index start");
}

/**
 * Moves Redoc's bundle out of the page that `build-docs --inlineBundle` wrote, into a classic script file:
 * returns { html, bundle, name }. The page keeps the contract (as JSON, which parses faster than the same
 * object as code) and a small inline script that hydrates once the deferred bundle has run.
 */
function splitBundle(html) {
  const open = '<script type="module">';
  const start = html.indexOf(open);
  const definitionAt = html.indexOf('const __redoc_definition = ', start);
  const end = html.indexOf('</script>', definitionAt);
  if (start === -1 || definitionAt === -1 || end === -1) throw new Error("no inline Redoc module in build-docs' page (Redoc template changed?)");
  const tail = html.slice(definitionAt, end);
  const definition = /^const __redoc_definition = (.*);$/m.exec(tail)?.[1];
  const options = /^\s*const __redoc_options = (\{.*\});$/m.exec(tail)?.[1];
  if (!definition || !options || !tail.includes("hydrate(__redoc_definition, __redoc_options, document.getElementById('redoc'));")) {
    throw new Error("build-docs' page does not hydrate as expected (Redoc template changed?)");
  }
  let bundle = html.slice(start + open.length, definitionAt).trim();
  // A module's export has no place in a classic script; the const before the bundle stays a global binding.
  bundle = replaceExactly(bundle, /export\{RedocStandalone,hydrate,init\};$/g, '', 1, 'Redoc bundle');
  // import.meta is a syntax error outside a module. Its two uses locate FlexSearch's worker scripts, which
  // this page never starts (its Content-Security-Policy allows no worker).
  bundle = replaceExactly(bundle, /(?<!["`])import\.meta\b/g, '({url:"",dirname:""})', 2, 'Redoc bundle');
  bundle = searchIndexAtOnce(bundle);
  // No V8 compile hint (//# allFunctionsCalledOnLoad): measured, it took 50-180 ms off the main thread
  // but added about 300 ms of compiling in all, which a busy 2-core machine pays for (docs/DECISIONS.md).
  bundle = `${bundle}\n`;
  const name = `redoc.${createHash('sha256').update(bundle).digest('hex').slice(0, 12)}.js`;
  const page =
    html.slice(0, start) +
    `<script type="application/json" id="redoc-definition">${definition}</script>\n      <script>\n` +
    `      const __redoc_options = ${options};\n` +
    "      document.addEventListener('DOMContentLoaded', function () {\n" +
    "        hydrate(JSON.parse(document.getElementById('redoc-definition').textContent), __redoc_options, document.getElementById('redoc'));\n" +
    '      });\n      ' +
    html.slice(end);
  if (!page.includes('<!--redoc-script-->')) throw new Error('scripts/docs-template.hbs has no <!--redoc-script--> placeholder');
  return { html: page.replace('<!--redoc-script-->', `<script defer src="${name}"></script>`), bundle, name };
}

/** The page's text with the text of every script it loads from beside it, for the offline check. */
function pageAndScripts(file) {
  const html = readFileSync(file, 'utf8');
  return [html, ...pageScripts(html, { othersToo: false }).map((name) => readFileSync(join(dirname(file), name), 'utf8'))].join('\n');
}

/** The introduction's sections as { title, text }, for the page's script that names a search result's section. */
function introSections(markdown) {
  const sections = [];
  let top = '';
  for (const block of markdown.split(/^(?=#{1,2} )/m)) {
    const heading = /^(#{1,2}) (.+)$/m.exec(block);
    if (!heading || !block.startsWith('#')) continue;
    if (heading[1] === '#') top = heading[2];
    const text = block.slice(heading[0].length).replaceAll('&#32;', ' ');
    sections.push({ title: heading[1] === '#' ? top : `${top} › ${heading[2]}`, text });
  }
  return sections;
}

/**
 * The contract the page shows: the bundle, with the Uncertainties page appended to the introduction,
 * generated from the contract's own marks so that the list cannot drift from the text. Refuses to
 * build when a mark is malformed (a description saying "uncertain" without the mark and its note).
 */
function docsContract(draftSpec) {
  const contract = parse(readFileSync(bundled, 'utf8'));
  const introduction = contract.info.description;
  const problems = markProblems(contract, introduction);
  if (problems.length > 0) {
    throw new Error(`uncertainty marks out of form, so the Uncertainties page would be wrong:\n  - ${problems.join('\n  - ')}`);
  }
  contract.info.description = `${introduction.trimEnd()}\n\n${uncertaintiesMarkdown(contract, introduction)}`;
  unwrapDescriptions(contract);
  writeFileSync(draftSpec, stringify(contract, { lineWidth: 0 }));
  return introSections(contract.info.description);
}

/**
 * Puts the page and its bundle in place: the bundle first, under a name of its own content, so that a page
 * being served keeps its bundle until it is replaced; then bundles no page names any more are removed.
 */
function writeFiles({ html, bundle, name }, draft) {
  const bundleFile = join(dirname(output), name);
  if (!existsSync(bundleFile)) {
    writeFileSync(`${bundleFile}.${process.pid}.tmp`, bundle);
    renameSync(`${bundleFile}.${process.pid}.tmp`, bundleFile);
  }
  writeFileSync(draft, html);
  renameSync(draft, output);
  for (const old of readdirSync(dirname(output))) {
    if (/^redoc\.[0-9a-f]{12}\.js$/.test(old) && old !== name) rmSync(join(dirname(output), old), { force: true });
  }
}

function build() {
  const started = performance.now();
  ensureGenerated();
  mkdirSync(dirname(output), { recursive: true });
  // Built beside the page and renamed over it at the end, so that a server showing the page (npm start)
  // never reads a half-written file while it is rebuilt.
  let html = '';
  let bundle = '';
  const draft = join(dirname(output), `.index.${process.pid}.tmp.html`);
  const draftSpec = join(dirname(output), `.openapi.${process.pid}.tmp.yaml`);
  const redocly = join(root, 'node_modules', '.bin', 'redocly');
  const args = ['build-docs', draftSpec, '-o', draft, '--inlineBundle', '--template', template];
  try {
    const sections = docsContract(draftSpec);
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
    const sectionsJson = JSON.stringify(sections).replace(/</g, '\\u003c');
    if (!html.includes('<!--intro-sections-->')) throw new Error('scripts/docs-template.hbs has no <!--intro-sections--> placeholder');
    html = html.replace('<!--intro-sections-->', () => `<script type="application/json" id="intro-sections">${sectionsJson}</script>`);
    const split = splitBundle(html);
    ({ html, bundle } = split);
    const problems = outsideReferences(`${html}\n${bundle}`);
    if (problems.length > 0) {
      rmSync(output, { force: true });
      throw new Error(
        `the docs page would make requests to other hosts, so it was not written:\n  - ${problems.join('\n  - ')}\n` +
          'It must work offline: fix scripts/docs.mjs or scripts/docs-template.hbs.',
      );
    }
    writeFiles(split, draft);
  } finally {
    rmSync(draft, { force: true });
    rmSync(draftSpec, { force: true });
  }
  const kib = (text) => `${Math.round(Buffer.byteLength(text) / 1024)} KiB`;
  console.log(
    `docs: wrote ${relative(root, output)} (${kib(html)}) and its Redoc bundle (${kib(bundle)}), offline, in ${Math.round(performance.now() - started)} ms`,
  );
}

try {
  const checkAt = process.argv.indexOf('--check');
  if (checkAt === -1) {
    build();
  } else {
    const file = process.argv[checkAt + 1];
    if (!file) throw new Error('--check needs the path of an HTML file, e.g. --check dist/docs/index.html');
    const problems = outsideReferences(pageAndScripts(file), { redoc: !process.argv.includes('--no-redoc') });
    if (problems.length > 0) throw new Error(`${file} is not self-contained:\n  - ${problems.join('\n  - ')}`);
    console.log(`docs: ${file} makes no request to another host`);
  }
} catch (error) {
  console.error(`docs: ${error instanceof Error ? error.message : error}`);
  process.exitCode = 1;
}
