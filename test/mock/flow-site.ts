// The example site of the Arazzo flows (openapi/flows/site.openapi.yaml): the relying party that sits
// beside Gigya in the seeds' sequences. It has its own login (user name and password), and the page that
// `socialize.login` sends the browser back to, where it checks `state` and `UIDSignature` with the
// package's own parseLoginRedirect before it trusts `UID`. A flow cannot stop at the mock's 302 (Redocly
// Respect follows redirects), so the redirect has to land somewhere real: here.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GigyaError, LoginRedirectError, parseLoginRedirect } from '../../src/index.js';

export interface FlowSiteOptions {
  /** The partner secret of the test site (the mock's), to verify the login redirect's UIDSignature. */
  secret: string;
}

export interface FlowSite {
  url: string;
  /** Login redirects that arrived, each with whether its signature verified. */
  redirects: Array<{ UID?: string; verified: boolean }>;
  close(): Promise<void>;
}

/** The site's users: user name → password and the site's ID for the user. */
export const SITE_USERS: Readonly<Record<string, { password: string; siteUID: string }>> = {
  david: { password: 'correct horse battery staple', siteUID: 'site-user-42' },
};

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

async function readBody(req: IncomingMessage, limit = 64 * 1024): Promise<string> {
  let text = '';
  for await (const chunk of req) {
    text += chunk;
    if (text.length > limit) throw new Error('body too large');
  }
  return text;
}

export function startFlowSite({ secret }: FlowSiteOptions): Promise<FlowSite> {
  const redirects: FlowSite['redirects'] = [];

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://site.invalid');
    if (req.method === 'GET' && url.pathname === '/login/done') {
      const state = url.searchParams.get('state');
      if (!state) return send(res, 400, { error: 'state-mismatch', message: 'The redirect carries no state.' });
      try {
        const result = await parseLoginRedirect(url, { secret, state });
        redirects.push({ UID: result.UID, verified: true });
        return send(res, 200, { verified: true, UID: result.UID, isNewUser: result.isNewUser === true, state });
      } catch (error) {
        redirects.push({ UID: url.searchParams.get('UID') ?? undefined, verified: false });
        if (error instanceof LoginRedirectError) return send(res, 401, { error: error.reason, message: error.message });
        if (error instanceof GigyaError) {
          return send(res, 502, { error: 'login-failed', message: `errorCode ${error.errorCode}: ${error.errorMessage ?? ''}` });
        }
        throw error;
      }
    }
    if (req.method === 'POST' && url.pathname === '/login') {
      const form = new URLSearchParams(await readBody(req));
      const user = SITE_USERS[form.get('username') ?? ''];
      if (!user || user.password !== form.get('password')) {
        return send(res, 401, { error: 'invalid-credentials', message: 'Unknown user name or wrong password.' });
      }
      return send(res, 200, { siteUID: user.siteUID, newUser: false });
    }
    return send(res, 404, { error: 'not-found', message: `${req.method} ${url.pathname} is not a page of this site.` });
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) send(res, 500, { error: 'internal', message: String(error) });
      else res.destroy();
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}`,
        redirects,
        close: () =>
          new Promise<void>((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}
