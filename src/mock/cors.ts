/// <reference types="node" />
// Which pages may call the mock from a browser. The API is meant to be called by a front end on another
// origin; the mock's own control endpoints (under CONTROL_PREFIX) are not.
import type { IncomingMessage } from 'node:http';

/** Path prefix of the mock's own control endpoints: never reachable from another origin (see isCrossOrigin). */
export const CONTROL_PREFIX = '/__mock/';

/** Response headers for CORS; read-only, so that the one empty set can be shared by every request without an Origin. */
export type CorsHeaders = Readonly<Record<string, string>>;
/** No CORS headers: one shared, empty set. */
export const NO_CORS: CorsHeaders = Object.freeze({});

/**
 * CORS: any page may call the API (a front end under test runs on its own origin), with credentials, and
 * the Origin is echoed for that; but `Origin: null` (a sandboxed frame, a file: page, a redirect chain) is
 * shared by every such page, so it gets `*` without credentials. Control endpoints get no CORS at all.
 */
export function originHeaders(req: IncomingMessage, path: string): CorsHeaders {
  const origin = req.headers.origin;
  if (origin === undefined || path.startsWith(CONTROL_PREFIX)) return NO_CORS;
  const exposed = { 'access-control-expose-headers': 'location, content-length', vary: 'Origin' };
  if (origin === 'null') return { 'access-control-allow-origin': '*', ...exposed };
  return { 'access-control-allow-origin': origin, 'access-control-allow-credentials': 'true', ...exposed };
}

/**
 * A request a browser made from another origin than the mock's own (Origin or Sec-Fetch-Site tell). Control
 * endpoints refuse those: without CORS headers a page cannot read their answers, but a simple form POST
 * would still reach them.
 */
export function isCrossOrigin(req: IncomingMessage): boolean {
  const site = req.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin' && site !== 'none') return true;
  const origin = req.headers.origin;
  if (origin === undefined) return false;
  return origin !== `http://${req.headers.host ?? ''}`;
}
