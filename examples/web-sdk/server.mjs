#!/usr/bin/env node
// The example site's server (node:http, no framework): serves the page, signs the siteUID for the
// page's notifyLogin, and receives logins (from the page's callback, or at redirectURL after a redirect
// login). It trusts a UID only once validateUIDSignature accepts it with the site's secret, keeps its own
// accounts in memory, and registers a new user with notifyRegistration and a siteUID of its own.
//   node examples/web-sdk/server.mjs [--port 3000] [--mock http://127.0.0.1:4010]
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { createSocializeClient, createUIDSignature, validateUIDSignature } from 'gigya-socialize-contract';

const BODY_LIMIT = 64 * 1024;
const PAGE_SCRIPT = 'http://127.0.0.1:4010/js/gigya.js?apiKey=3_socializeMockTestSite';
/** The mock's public test site (README: "Test site"). */
export const TEST_SITE = { apiKey: '3_socializeMockTestSite', secret: 'c29jaWFsaXplLW1vY2sgcGFydG5lciBzZWNyZXQgKHRlc3Qgb25seSk=' };

function readBody(req) {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks = [];
    req.on('data', (chunk) => {
      size += chunk.length;
      if (size > BODY_LIMIT) {
        reject(Object.assign(new Error(`body: larger than ${BODY_LIMIT} bytes`), { status: 413 }));
        req.destroy();
      } else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

const escapeHtml = (text) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** Starts the site; resolves to { url, users, close }. */
export async function startSite({
  port = 3000,
  host = '127.0.0.1',
  mockUrl = 'http://127.0.0.1:4010',
  apiKey = TEST_SITE.apiKey,
  secret = TEST_SITE.secret,
} = {}) {
  const gigya = createSocializeClient({ apiKey, baseUrl: mockUrl, credentials: { secret } });
  const page = (await readFile(new URL('./index.html', import.meta.url), 'utf8')).replace(
    PAGE_SCRIPT,
    `${mockUrl}/js/gigya.js?apiKey=${encodeURIComponent(apiKey)}`,
  );
  const app = await readFile(new URL('./app.js', import.meta.url), 'utf8');
  /** The site's own accounts: siteUID → the Gigya UID it was registered from. */
  const users = new Map();

  // A login, verified: a returning user (UID is a siteUID we issued) or a new one, registered now.
  async function acceptLogin({ UID, UIDSignature, signatureTimestamp }) {
    if (typeof UID !== 'string' || typeof UIDSignature !== 'string' || typeof signatureTimestamp !== 'string') {
      return { status: 400, body: { error: 'UID, UIDSignature and signatureTimestamp are required' } };
    }
    if (!(await validateUIDSignature({ secret, UID, UIDSignature, signatureTimestamp }))) {
      return { status: 401, body: { error: 'UIDSignature: not valid for this UID and time' } };
    }
    if (users.has(UID)) return { status: 200, body: { siteUID: UID, returning: true } };
    const siteUID = `site-user-${users.size + 1}`;
    await gigya.notifyRegistration({ UID, siteUID });
    users.set(siteUID, UID);
    return { status: 200, body: { siteUID, registered: true } };
  }

  async function route(req, res, url) {
    const send = (status, type, body) => {
      res.writeHead(status, { 'content-type': `${type}; charset=utf-8`, 'cache-control': 'no-store' });
      res.end(body);
    };
    if (req.method === 'GET' && url.pathname === '/') return send(200, 'text/html', page);
    if (req.method === 'GET' && url.pathname === '/app.js') return send(200, 'text/javascript', app);
    if (req.method === 'GET' && url.pathname === '/api/signature') {
      const siteUID = url.searchParams.get('siteUID') ?? '';
      return send(200, 'application/json', JSON.stringify(await createUIDSignature({ secret, siteUID })));
    }
    if (req.method === 'POST' && url.pathname === '/api/session') {
      const outcome = await acceptLogin(JSON.parse(await readBody(req)));
      return send(outcome.status, 'application/json', JSON.stringify(outcome.body));
    }
    if (url.pathname === '/login/done' && (req.method === 'GET' || req.method === 'POST')) {
      // redirectURL: the login's fields as query parameters (redirectMethod 'get') or as a form ('post').
      const fields = req.method === 'GET' ? url.searchParams : new URLSearchParams(await readBody(req));
      const received = Object.fromEntries(fields);
      const outcome = await acceptLogin(received);
      const result = JSON.stringify({ method: req.method, received, ...outcome.body });
      return send(
        outcome.status,
        'text/html',
        `<!doctype html><html lang="en"><meta charset="utf-8"><title>Logged in</title><pre id="result">${escapeHtml(result)}</pre><p><a href="/">Back</a></p></html>`,
      );
    }
    return send(404, 'text/plain', 'not found\n');
  }

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://site.invalid');
    route(req, res, url).catch((error) => {
      if (!res.headersSent) res.writeHead(error.status ?? 500, { 'content-type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify({ error: error instanceof Error ? error.message : String(error) }));
    });
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  const address = server.address();
  return {
    url: `http://${host}:${address.port}`,
    users,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { values } = parseArgs({
    options: { port: { type: 'string', default: '3000' }, mock: { type: 'string', default: 'http://127.0.0.1:4010' } },
  });
  const site = await startSite({ port: Number(values.port), mockUrl: values.mock });
  console.log(`example site on ${site.url} (Web SDK from ${values.mock}); start the mock with \`npm start\``);
}
