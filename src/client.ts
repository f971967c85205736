// The full socialize client: the calls (client-core.ts) with request signing and the login URL. Each
// package entry binds it to its HMAC backend (index.ts: Web Crypto, index.node.ts: node:crypto).
import { createSocializeCalls, resolveBaseUrl, type SocializeCalls, type SocializeClientOptions } from './client-core.js';
import { buildLoginUrl, type LoginUrlParams } from './login-url.js';
import { signRequestWith, type HmacBackend } from './signature.js';

/** A client for the socialize methods; `raw` is the underlying openapi-fetch client. */
export interface SocializeClient extends SocializeCalls {
  /** Builds the `socialize.login` URL to send the user's browser to (`client_id` is the apiKey). */
  loginUrl(params: LoginUrlParams): string;
}

/** Creates the full client on an HMAC backend (internal: the entries export it as createSocializeClient). */
export function createSocializeClientWith<Key>(backend: HmacBackend<Key>, options: SocializeClientOptions): SocializeClient {
  const calls = createSocializeCalls(options, (input) => signRequestWith(backend, input));
  const baseUrl = resolveBaseUrl(options).href.replace(/\/+$/, '');
  return { ...calls, loginUrl: (params) => buildLoginUrl(baseUrl, options.apiKey, params) };
}
