// The files the reference page is made of: dist/docs/index.html and the scripts beside it that it loads
// (scripts/docs.mjs writes Redoc's bundle as its own file, redoc.<hash>.js). Whatever serves or ships the
// page (the site, the mock package, the bench) carries these files, found here, not listed again.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The relative file names of the scripts `html` loads (<script src="name">), in page order. A script from
 * anywhere else is refused, or with `othersToo: false` left out (the offline check names those itself).
 */
export function pageScripts(html, { othersToo = true } = {}) {
  const names = [];
  for (const [, src] of html.matchAll(/<script\b[^>]*\bsrc="([^"]+)"[^>]*>/gi)) {
    if (/^[\w-][\w.-]*\.js$/.test(src)) names.push(src);
    else if (othersToo) throw new Error(`the page loads ${src}: only a file beside it (name.js) is supported`);
  }
  return names;
}

/** ['index.html', ...its scripts] of the page `dir`/index.html. */
export function docsFiles(dir) {
  return ['index.html', ...pageScripts(readFileSync(join(dir, 'index.html'), 'utf8'))];
}
