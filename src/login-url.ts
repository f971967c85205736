// The `socialize.login` URL to send the user's browser to: only apps that start a social login need it,
// so it lives apart from the calls (client.ts adds it to the full client as `loginUrl`).
import type { operations } from '../generated/schema.js';
import { loginRedirectUri, loginResponseType } from '../generated/limits.js';
import { InvalidParameterError } from './errors.js';
import { formFields } from './form.js';
import { checkCid } from './params.js';

/** The query parameters of the login URL, less `client_id` (the client's `apiKey`). */
export type LoginUrlParams = Omit<operations['socialize.login']['parameters']['query'], 'client_id'>;

/** Builds the login URL under `baseUrl` for `apiKey`; throws InvalidParameterError naming the parameter (internal). */
export function buildLoginUrl(baseUrl: string, apiKey: string, params: LoginUrlParams): string {
  if (params === null || typeof params !== 'object') throw new InvalidParameterError('params', 'must be an object.');
  const query = params as Record<string, unknown>;
  for (const name of ['client_id', 'secret']) {
    if (query[name] !== undefined) {
      throw new InvalidParameterError(name, name === 'secret' ? 'never goes into a URL.' : "is the client's apiKey; do not pass it.");
    }
  }
  const { x_provider, redirect_uri, response_type, state } = query;
  if (typeof x_provider !== 'string' || x_provider.length === 0) throw new InvalidParameterError('x_provider', 'is required.');
  if (typeof redirect_uri !== 'string' || !loginRedirectUri.pattern.test(redirect_uri) || !URL.canParse(redirect_uri)) {
    throw new InvalidParameterError('redirect_uri', 'must be an absolute http(s) URL.');
  }
  if (!(loginResponseType.values as readonly unknown[]).includes(response_type)) {
    throw new InvalidParameterError('response_type', `must be one of ${loginResponseType.values.map((v) => `"${v}"`).join(', ')}.`);
  }
  // The contract states no length for state (the service's limit is not documented): only its type.
  if (state !== undefined && typeof state !== 'string') {
    throw new InvalidParameterError('state', 'must be a string.');
  }
  checkCid(query, 'x_cid');
  const fields = formFields({ ...query, client_id: apiKey });
  return `${baseUrl}/socialize.login?${new URLSearchParams(fields).toString()}`;
}
