// Types for scripts/docs-files.mjs, which the docs build runs as plain JavaScript.
/** The relative file names of the scripts `html` loads (<script src="name">), in page order. */
export function pageScripts(html: string, options?: { othersToo?: boolean }): string[];
/** ['index.html', ...its scripts] of the page `dir`/index.html. */
export function docsFiles(dir: string): string[];
