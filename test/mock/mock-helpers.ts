// Calls the mock over real HTTP and holds every answer against the contract's response schema.
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { expect } from 'vitest';
import { refTarget } from '../../src/mock/json-pointer.mjs';
import { contract, pointerOf, validatorAt } from '../contract/contract-helpers.js';

export interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  /** The JSON body, when there is one. */
  body: Record<string, any>;
  ms: number;
}

export interface CallOptions {
  method?: string;
  headers?: Record<string, string>;
  /** Raw body; a URLSearchParams or record is form-encoded. */
  body?: string | Buffer | URLSearchParams | Record<string, string>;
  query?: Record<string, string>;
}

/** One request on a fresh connection; resolves with the whole answer. */
export function call(base: string, path: string, options: CallOptions = {}): Promise<Reply> {
  const { method = options.body === undefined ? 'GET' : 'POST', headers = {}, query } = options;
  let body: Buffer | undefined;
  if (typeof options.body === 'string' || Buffer.isBuffer(options.body)) body = Buffer.from(options.body);
  else if (options.body instanceof URLSearchParams) body = Buffer.from(options.body.toString());
  else if (options.body !== undefined) body = Buffer.from(new URLSearchParams(options.body).toString());
  const url = new URL(path, base);
  if (query) for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, {
      method,
      agent: false,
      headers: {
        ...(body !== undefined && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')
          ? { 'content-type': 'application/x-www-form-urlencoded' }
          : {}),
        ...(body !== undefined ? { 'content-length': String(body.length) } : {}),
        ...headers,
      },
    });
    req.on('error', reject);
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let parsed: Record<string, any> = {};
        if ((res.headers['content-type'] ?? '').startsWith('application/json')) parsed = JSON.parse(text);
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, body: parsed, ms: performance.now() - started });
      });
    });
    req.end(body);
  });
}

/** POSTs a form to /<method>. */
export function post(base: string, method: string, fields: Record<string, string>, options: Omit<CallOptions, 'body'> = {}) {
  return call(base, `/${method}`, { ...options, method: 'POST', body: fields });
}

/**
 * Expects the answer to conform to the contract: the 200 response schema of the operation (or, with an
 * HTTP error status, its `default` response), an envelope with a fresh callId and time.
 */
export function expectConforms(reply: Reply, path: string, method: 'get' | 'post' = 'post'): void {
  expect(reply.headers['content-type']).toMatch(/^application\/json/);
  // With an HTTP error status (httpStatusCodes=true) the operation's `default` response applies.
  const response =
    reply.status === 200
      ? `#${pointerOf('paths', path, method, 'responses', '200')}`
      : refTarget(contract, `#${pointerOf('paths', path, method, 'responses', 'default')}`).pointer;
  const validate = validatorAt(`${response.slice(1)}${pointerOf('content', 'application/json', 'schema')}`);
  const ok = validate(reply.body);
  expect(ok, `${JSON.stringify(validate.errors)} for ${reply.text}`).toBe(true);
  expect(reply.body.callId).toMatch(/^[0-9a-f]{32}$/);
  expect(Math.abs(Date.parse(reply.body.time) - Date.now())).toBeLessThan(60_000);
}

/** Expects a Gigya error envelope with this code, conforming to the contract, whose details name `names`. */
export function expectError(reply: Reply, path: string, errorCode: number, ...names: string[]): void {
  expectConforms(reply, path, path === '/socialize.login' ? 'get' : 'post');
  expect(reply.body.errorCode, reply.text).toBe(errorCode);
  expect(reply.body.statusCode).toBe(Number(String(errorCode).slice(0, 3)));
  expect(reply.body.errorMessage).toBe(contract.components.schemas.ErrorCode['x-errorMessages'][String(errorCode)]);
  for (const name of names) expect(reply.body.errorDetails, reply.text).toContain(name);
}

/** The same schema check for a value at a contract pointer. */
export function expectSchema(value: unknown, ...pointer: string[]): void {
  const validate = validatorAt(pointerOf(...pointer));
  expect(validate(value), JSON.stringify(validate.errors)).toBe(true);
}
