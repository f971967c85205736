// Stage 1 of the pipeline, parse: the request target (origin form, or the absolute form a client behind
// a proxy sends, RFC 9112 §3.2.2), the query and the form body read strictly (form.ts), the scenario asked
// for, and the URLs a signed request may have been signed for. Nothing here knows the contract.
import type { IncomingHttpHeaders } from 'node:http';
import { FORM } from './contract.js';
import type { ErrorSpec } from './envelope.js';
import { decodeBody, parseFormText, type FormFault } from './form.js';

/** What the HTTP side hands to the pipeline. */
export interface ApiRequest {
  method: string;
  /** The request target as sent: `/path?query`, or `http://host/path?query` (absolute form). */
  target: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** The address the mock listens on (`127.0.0.1:4010`), for a request without a Host header. */
  listening: string;
}

/** Query parameter that picks a named example (Prism's own name for it). */
const EXAMPLE_PARAM = '__example';

export interface ParsedRequest {
  method: string;
  path: string;
  /** The query's fields, without `__example`. */
  query: Map<string, string>;
  /** The form body's fields (a POST with a body), or undefined. */
  form?: { fields: Map<string, string>; text: string };
  /** The request's own parameters: the form of a POST, else the query. */
  params: Map<string, string>;
  headers: IncomingHttpHeaders;
  /** The scenario asked for, and where (`__example` or `Prefer`). */
  example?: { name: string; source: string };
  /** URLs (without query) that a signed request may have been signed for, the one addressed first. */
  urls: string[];
}

export type Parsed = { ok: ParsedRequest } | { error: ErrorSpec; params: Map<string, string> };

/** The example name of a `Prefer` header (`example=name`, among other preferences). */
function preferredExample(prefer: string | string[] | undefined): string | undefined {
  if (prefer === undefined) return undefined;
  const text = Array.isArray(prefer) ? prefer.join(',') : prefer;
  for (const part of text.split(/[,;]/)) {
    const eq = part.indexOf('=');
    if (eq !== -1 && part.slice(0, eq).trim().toLowerCase() === 'example') {
      return part
        .slice(eq + 1)
        .trim()
        .replace(/^"(.*)"$/, '$1');
    }
  }
  return undefined;
}

function mediaType(contentType: string | undefined): string | undefined {
  if (contentType === undefined) return undefined;
  return contentType.split(';', 1)[0]!.trim().toLowerCase();
}

function faultError(fault: FormFault): ErrorSpec {
  return { errorCode: fault.errorCode, errorDetails: `${fault.name}: ${fault.detail}` };
}

const ABSOLUTE = /^(https?):\/\/([^/?#]+)([^?#]*)(\?[^#]*)?/i;

// Path, query text and the signed URLs of a request target.
function splitTarget(target: string, host: string): { path: string; query: string; urls: string[] } {
  const absolute = ABSOLUTE.exec(target);
  if (absolute) {
    const [, scheme, authority, rawPath, rawQuery] = absolute;
    const path = rawPath || '/';
    const addressed = `${scheme!.toLowerCase()}://${authority}${path}`;
    const urls = scheme!.toLowerCase() === 'https' ? [addressed] : [addressed, `https://${authority}${path}`];
    return { path, query: rawQuery ? rawQuery.slice(1) : '', urls };
  }
  const q = target.indexOf('?');
  const path = q === -1 ? target : target.slice(0, q);
  return { path, query: q === -1 ? '' : target.slice(q + 1), urls: [`http://${host}${path}`, `https://${host}${path}`] };
}

/** Reads the form body of a POST; a body of another media type is refused, naming the method. */
function readForm(request: ApiRequest, operationId: string): { fields: Map<string, string>; text: string } | { error: ErrorSpec } {
  const type = mediaType(request.headers['content-type']);
  if (request.body.length > 0 && type !== FORM) {
    return { error: { errorCode: 400001, errorDetails: `Content-Type: ${operationId} takes an ${FORM} body${type ? `, not ${type}` : ''}` } };
  }
  const decoded = decodeBody(request.body);
  if ('fault' in decoded) return { error: faultError(decoded.fault) };
  const parsed = parseFormText(decoded.text);
  if ('fault' in parsed) return { error: faultError(parsed.fault) };
  return { fields: parsed.fields, text: decoded.text };
}

/**
 * Parses the request line and the query; `formOf` names the operation whose form body is to be read
 * (undefined: no form is read, the body goes to the validator as it is).
 */
export function parseRequest(request: ApiRequest, formOf: (path: string) => string | undefined): Parsed {
  const host = typeof request.headers.host === 'string' && request.headers.host !== '' ? request.headers.host : request.listening;
  const { path, query: queryText, urls } = splitTarget(request.target, host);
  const query = parseFormText(queryText);
  if ('fault' in query) return { error: faultError(query.fault), params: new Map() };
  const fromQuery = query.fields.get(EXAMPLE_PARAM);
  query.fields.delete(EXAMPLE_PARAM);
  const preferred = preferredExample(request.headers.prefer);
  const name = fromQuery ?? preferred;
  const example = name === undefined ? undefined : { name, source: fromQuery !== undefined ? EXAMPLE_PARAM : 'Prefer' };
  const operationId = request.method === 'POST' ? formOf(path) : undefined;
  let form: ParsedRequest['form'];
  if (operationId !== undefined) {
    const read = readForm(request, operationId);
    if ('error' in read) return { error: read.error, params: query.fields };
    form = read;
  }
  // Assigned, not spread from temporary objects: this runs on every request.
  const ok: ParsedRequest = {
    method: request.method,
    path,
    query: query.fields,
    params: form ? form.fields : query.fields,
    headers: request.headers,
    urls,
  };
  if (form) ok.form = form;
  if (example) ok.example = example;
  return { ok };
}

/** The boolean spellings the official SDKs send: true/false, Python's True/False, PHP's 1/0. */
export function sdkBoolean(text: string | undefined): boolean | undefined {
  switch (text) {
    case 'true':
    case 'True':
    case '1':
      return true;
    case 'false':
    case 'False':
    case '0':
      return false;
    default:
      return undefined;
  }
}
