// A small real HTTP server on 127.0.0.1 that answers the three JSON socialize methods the way the service
// does: form bodies in, HTTP 200 with Gigya's envelope out (errorCode 0 or an error), credentials checked
// (secret, signed request with an independent node:crypto verifier, or UIDSig). It stands in for the
// mock server until that lands; a header `x-test-behaviour` makes it misbehave for transport tests.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { referenceBaseString, referenceHmac } from './reference-signature.js';

/** One request as the server received it. */
export interface ReceivedRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  rawBody: string;
  fields: Record<string, string>;
}

/** A running fake Gigya server. */
export interface GigyaServer {
  baseUrl: string;
  apiKey: string;
  secret: string;
  userKey: string;
  userSecret: string;
  requests: ReceivedRequest[];
  close(): Promise<void>;
}

const REASONS: Record<number, string> = { 200: 'OK', 400: 'Bad Request', 403: 'Forbidden', 409: 'Conflict' };

function envelope(errorCode: number, extra: Record<string, unknown> = {}, message?: string, details?: string) {
  const statusCode = errorCode === 0 ? 200 : Number(String(errorCode).slice(0, 3));
  return {
    callId: randomBytes(16).toString('hex'),
    errorCode,
    ...(message ? { errorMessage: message, errorDetails: details ?? message } : {}),
    statusCode,
    statusReason: REASONS[statusCode] ?? 'Error',
    time: new Date().toISOString(),
    ...extra,
  };
}

/** Starts the fake server on an ephemeral loopback port. */
export async function startGigyaServer(): Promise<GigyaServer> {
  const apiKey = '3_TEST_API_KEY';
  const secret = randomBytes(24).toString('base64');
  const userKey = 'AUSERKEY';
  const userSecret = randomBytes(24).toString('base64');
  const requests: ReceivedRequest[] = [];
  const nonces = new Set<string>();
  let baseUrl = '';

  function authenticate(path: string, f: Record<string, string>): ReturnType<typeof envelope> | undefined {
    if (f.apiKey !== apiKey) return envelope(400093, {}, 'Invalid ApiKey parameter');
    const keySecret = f.userKey === undefined ? secret : f.userKey === userKey ? userSecret : undefined;
    if (keySecret === undefined) return envelope(403005, {}, 'Unauthorized user', 'unknown userKey');
    if (f.secret !== undefined) {
      if (f.sig !== undefined) return envelope(400001, {}, 'Invalid request format', 'secret and sig together');
      return f.secret === keySecret ? undefined : envelope(403003, {}, 'Invalid request signature');
    }
    if (f.sig !== undefined) {
      if (!/^\d{1,10}$/.test(f.timestamp ?? '') || Math.abs(Number(f.timestamp) - Date.now() / 1000) > 120) {
        return envelope(403002, {}, 'Request has expired');
      }
      if (!f.nonce || nonces.has(f.nonce)) return envelope(403004, {}, 'Duplicate nonce');
      nonces.add(f.nonce);
      const { sig, ...signed } = f;
      const expected = referenceHmac(keySecret, referenceBaseString('POST', `${baseUrl}${path}`, signed));
      return sig === expected ? undefined : envelope(403003, {}, 'Invalid request signature');
    }
    if (f.UIDSig !== undefined) {
      const expected = referenceHmac(secret, `${f.UIDTimestamp}_${f.siteUID}`);
      return f.UIDSig === expected ? undefined : envelope(403003, {}, 'Invalid request signature', 'UIDSig');
    }
    return envelope(400002, {}, 'Missing required parameter', 'Missing required parameter: secret');
  }

  function answer(path: string, f: Record<string, string>) {
    if (f.format !== 'json') return envelope(400006, {}, 'Invalid parameter value', 'format');
    const denied = authenticate(path, f);
    if (denied) return denied;
    if (f.siteUID === 'unauthorized') return envelope(403005, {}, 'Unauthorized user', 'The user ID that is passed is not valid for this site');
    switch (path) {
      case '/socialize.setUID':
        if (!f.siteUID) return envelope(400002, {}, 'Missing required parameter', 'Missing required parameter: siteUID');
        return envelope(0);
      case '/socialize.notifyRegistration':
        return envelope(0);
      case '/socialize.notifyLogin': {
        const UID = f.siteUID ?? `_gid_${randomBytes(6).toString('hex')}`;
        const signatureTimestamp = String(Math.floor(Date.now() / 1000));
        const signed = { UID, UIDSignature: referenceHmac(secret, `${signatureTimestamp}_${UID}`), signatureTimestamp };
        if (f.targetEnv === 'mobile') {
          return envelope(0, { ...signed, sessionToken: 'st2.token', sessionSecret: randomBytes(12).toString('base64') });
        }
        return envelope(0, {
          ...signed,
          cookieName: `glt_${apiKey}`,
          cookieValue: 'st2.cookie',
          cookieDomain: '127.0.0.1',
          cookiePath: '/',
        });
      }
      default:
        return envelope(400001, {}, 'Invalid request format', 'unknown method');
    }
  }

  function respond(res: ServerResponse, status: number, body: unknown) {
    const text = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
    res.end(text);
  }

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const rawBody = Buffer.concat(chunks).toString('utf8');
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      const fields = Object.fromEntries(new URLSearchParams(rawBody));
      requests.push({ method: req.method ?? '', path, headers: req.headers, rawBody, fields });
      switch (req.headers['x-test-behaviour']) {
        case 'html':
          res.writeHead(502, { 'content-type': 'text/html' }).end('<html><body>Bad gateway</body></html>');
          return;
        case 'text':
          res.writeHead(200, { 'content-type': 'text/plain' }).end('OK');
          return;
        case 'not-envelope':
          respond(res, 200, { hello: 'world' });
          return;
        case 'slow':
          setTimeout(() => respond(res, 200, envelope(0)), 2_000).unref();
          return;
        case 'redirect':
          res.writeHead(307, { location: `${baseUrl}${path}` }).end();
          return;
        case 'empty':
          res.writeHead(200, { 'content-length': '0' }).end();
          return;
        default:
      }
      if (req.method !== 'POST' || !String(req.headers['content-type']).startsWith('application/x-www-form-urlencoded')) {
        respond(res, 200, envelope(400001, {}, 'Invalid request format', 'expected a form POST'));
        return;
      }
      const body = answer(path, fields);
      respond(res, fields.httpStatusCodes === 'true' ? body.statusCode : 200, body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    baseUrl,
    apiKey,
    secret,
    userKey,
    userSecret,
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((e) => (e ? reject(e) : resolve()));
      }),
  };
}
