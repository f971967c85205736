// The full socialize client: the calls (client-core.ts) with request signing, the login URL, and `raw`,
// an openapi-fetch client on the same base URL, fetch, headers and form serializer. Both package entries
// export it as it is: a call signs with hmac-sha1.ts (the key prepared once per client, the HMAC computed
// synchronously), which costs a call less than either HMAC backend does (docs/DECISIONS.md item 29).
import createClient, { type Client } from 'openapi-fetch';
import type { paths } from '../generated/schema.js';
import type { Exchange } from './answer.js';
import { createSocializeCalls, isLoopbackHost, resolveBaseUrl, type SocializeCalls, type SocializeClientOptions } from './client-core.js';
import { InvalidParameterError } from './errors.js';
import { formBody } from './form.js';
import { buildLoginUrl, type LoginUrlParams } from './login-url.js';
import { hmacSha1Signer } from './hmac-sha1.js';
import { base64ToBytes, fieldsBaseString, type Secret } from './signature.js';

/** A client for the socialize methods; `raw` is the underlying openapi-fetch client. */
export interface SocializeClient extends SocializeCalls {
  /** Builds the `socialize.login` URL to send the user's browser to (`client_id` is the apiKey). */
  loginUrl(params: LoginUrlParams): string;
  /** The underlying openapi-fetch client (same base URL, fetch, headers and form serializer); its middleware sees the typed calls too. */
  raw: Client<paths>;
}

type LoosePost = (path: string, init: Record<string, unknown>) => Promise<{ data?: unknown; error?: unknown; response: Response }>;

function createRaw(options: SocializeClientOptions, base: URL, session: () => Exchange | undefined): Client<paths> {
  const insecure = base.protocol === 'http:' && !isLoopbackHost(base.hostname);
  const baseFetch = options.fetch ?? ((request: Request) => globalThis.fetch(request));
  const raw = createClient<paths>({
    baseUrl: base.href.replace(/\/+$/, ''),
    fetch: baseFetch,
    headers: { ...options.headers, 'Content-Type': 'application/x-www-form-urlencoded' },
    // Nothing is followed, as in the typed calls (answer.ts).
    redirect: 'manual',
    // raw calls get the same rule as the typed methods: no secret in a body bound for plain HTTP.
    bodySerializer: (body: unknown) => {
      if (insecure && (body as Record<string, unknown>).secret !== undefined) {
        throw new InvalidParameterError('secret', 'is never sent over plain HTTP (except to loopback).');
      }
      return formBody(body as Record<string, unknown>);
    },
  });
  // Middleware sees the Request openapi-fetch builds, so once any is registered the typed calls go through raw.
  const use = raw.use.bind(raw);
  raw.use = (...added) => {
    session()!.viaRaw = async (method, body, init, read) => {
      const post = raw.POST as unknown as LoosePost;
      const fetch = async (request: Request) => read(await baseFetch(request));
      const { data, error, response } = await post(`/${method}`, { body, parseAs: 'text', fetch, ...init });
      return { status: response.status, ok: response.ok, payload: response.ok ? data : error };
    };
    use(...added);
  };
  return raw;
}

// A client's signer: the secret (checked by the client) decoded and its HMAC key prepared once; each call
// then signs the base string of exactly the fields it sends, as signRequest would.
function signerFor(secret: Secret) {
  const sign = hmacSha1Signer(typeof secret === 'string' ? base64ToBytes(secret) : secret);
  return (url: string, fields: ReadonlyArray<readonly [string, string]>) => sign(fieldsBaseString(url, fields));
}

/** Creates a typed client for the socialize methods (see SocializeClientOptions). */
export function createSocializeClient(options: SocializeClientOptions): SocializeClient {
  let session: Exchange | undefined;
  const calls = createSocializeCalls(options, signerFor, (s) => (session = s));
  const base = resolveBaseUrl(options);
  const baseUrl = base.href.replace(/\/+$/, '');
  return { ...calls, loginUrl: (params) => buildLoginUrl(baseUrl, options.apiKey, params), raw: createRaw(options, base, () => session) };
}
