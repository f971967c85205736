// GET /docs: the reference page, and the scripts it loads from beside it (Redoc's bundle, redoc.<hash>.js,
// written by scripts/docs.mjs). The page at /docs names its bundle relatively, which resolves to
// /<name> from /docs and to /docs/<name> from /docs/: each script is served at both. Only the scripts
// the page names are served, never any other file of its folder. Both are gzipped for clients that
// accept it, compressed once per version of the file in the background (zlib's thread pool) and served
// plain until the compressed copy is ready. A script whose name carries its content's hash never changes,
// so the browser may keep it for good; the page itself is asked for again each time.
import { createReadStream, readFileSync, statSync, type Stats } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CorsHeaders } from './cors.js';
import { basename, dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';

const gzipAsync = promisify(gzip);
const gzipCache = new Map<string, { mtimeMs: number; body?: Buffer }>();
const scriptsCache = new Map<string, { mtimeMs: number; names: Set<string> }>();

/** The file gzipped, when a copy for this version of it is ready; starts making one otherwise. */
function gzipped(path: string, mtimeMs: number): Buffer | undefined {
  const cached = gzipCache.get(path);
  if (cached?.mtimeMs === mtimeMs) return cached.body;
  const entry: { mtimeMs: number; body?: Buffer } = { mtimeMs };
  gzipCache.set(path, entry);
  readFile(path)
    .then((data) => gzipAsync(data, { level: 9 }))
    .then((body) => (entry.body = body))
    .catch(() => gzipCache.delete(path));
  return undefined;
}

/** The names of the scripts the page loads from its own folder (<script src="name.js">), per version of the page. */
function pageScripts(docs: string, stat: Stats): Set<string> {
  const cached = scriptsCache.get(docs);
  if (cached?.mtimeMs === stat.mtimeMs) return cached.names;
  const html = readFileSync(docs, 'utf8');
  const names = new Set([...html.matchAll(/<script\b[^>]*\bsrc="([\w-][\w.-]*\.js)"/gi)].map((match) => match[1]!));
  scriptsCache.set(docs, { mtimeMs: stat.mtimeMs, names });
  return names;
}

function sendFile(req: IncomingMessage, res: ServerResponse, file: string, stat: Stats, headers: Record<string, string>): string {
  const head = { ...headers, vary: 'accept-encoding' };
  const body = /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? '')) ? gzipped(file, stat.mtimeMs) : undefined;
  if (body !== undefined) {
    res.writeHead(200, { ...head, 'content-encoding': 'gzip', 'content-length': String(body.length) });
    res.end(req.method === 'HEAD' ? undefined : body);
    return '200';
  }
  res.writeHead(200, { ...head, 'content-length': String(stat.size) });
  if (req.method === 'HEAD') res.end();
  else
    createReadStream(file)
      .on('error', () => res.destroy())
      .pipe(res);
  return '200';
}

function gone(res: ServerResponse, what: string): string {
  res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
  res.end(`${what} is gone; run \`npm run docs\`.\n`);
  return '404';
}

/** Answers GET/HEAD of the docs page (`/docs`, `/docs/`) and of its scripts; undefined for any other path. */
export function docsAnswer(req: IncomingMessage, res: ServerResponse, path: string, docs: string, cors: CorsHeaders): string | undefined {
  const isPage = path === '/docs' || path === '/docs/';
  const script = /^\/(?:docs\/)?([\w-][\w.-]*\.js)$/.exec(path)?.[1];
  if (!isPage && script === undefined) return undefined;
  const stat = statSync(docs, { throwIfNoEntry: false });
  if (stat === undefined) return isPage ? gone(res, 'The docs file') : undefined;
  if (isPage) return sendFile(req, res, docs, stat, { ...cors, 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-cache' });
  if (!pageScripts(docs, stat).has(script!)) return undefined;
  const file = join(dirname(docs), basename(script!));
  const scriptStat = statSync(file, { throwIfNoEntry: false });
  if (scriptStat === undefined || !scriptStat.isFile()) return gone(res, `${script}, which the docs page loads,`);
  const lasting = /\.[0-9a-f]{8,}\.js$/.test(script!) ? 'public, max-age=31536000, immutable' : 'no-cache';
  return sendFile(req, res, file, scriptStat, { ...cors, 'content-type': 'text/javascript; charset=utf-8', 'cache-control': lasting });
}
