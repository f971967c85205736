// What the mock answers to one API request, independent of the HTTP plumbing. The request goes through
// Prism's engine (routing, validation, example selection); the mock reads what Prism found and answers
// as Gigya does: the envelope, the errorCodes, the credentials, the computed answers. A fast path skips
// Prism for requests the mock's own validator proves valid (see docs/DECISIONS.md: it gives the same
// answer, because for a valid request without a scenario Prism's only contribution is "valid").
import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { FORM, type LoadedContract, type OperationInfo } from './contract.js';
import { CredentialChecker } from './credentials.js';
import { Envelopes, type Answer, type ErrorSpec } from './envelope.js';
import { decodeBody, jsonDepthExceeds, JSON_DEPTH_LIMIT, parseFormText, type FormFault } from './form.js';
import type { PrismEngine } from './prism.js';
import { redirectRefusal } from './redirect.js';
import { ajvProblems, typedParams, type ContractValidators, type Problem } from './validation.js';

export interface ApiRequest {
  method: string;
  /** Path without the query. */
  path: string;
  /** The raw query string, without `?`. */
  query: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** The URL the client called, without query (for the signed-request base string). */
  url: string;
}

export type ApiResult =
  | {
      kind: 'json';
      answer: Answer;
      /** The request asked for the HTTP status to follow statusCode. */
      httpStatusCodes: boolean;
      /** `format=jsonp`: the callback to wrap the answer in. */
      callback?: string;
    }
  | { kind: 'redirect'; location: string };

/** Query parameter that picks a named example (Prism's own name for it). */
export const EXAMPLE_PARAM = '__example';

const COMBINATOR_KEYWORDS = new Set(['required', 'dependentRequired', 'oneOf', 'anyOf', 'not', 'if', 'then', 'else', 'bodyRequired', 'contentType']);
const CALLBACK = /^[A-Za-z_$][A-Za-z0-9_$.]*$/;

/** The example name of a `Prefer` header (`example=name`, among other preferences). */
export function preferredExample(prefer: string | string[] | undefined): string | undefined {
  if (prefer === undefined) return undefined;
  const text = Array.isArray(prefer) ? prefer.join(',') : prefer;
  for (const part of text.split(/[,;]/)) {
    const eq = part.indexOf('=');
    if (eq !== -1 && part.slice(0, eq).trim().toLowerCase() === 'example') {
      return part.slice(eq + 1).trim().replace(/^"(.*)"$/, '$1');
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

export interface ApiOptions {
  contract: LoadedContract;
  credentials: CredentialChecker;
  /** Prism's engine (started on first call); every request that the fast path does not answer goes through it. */
  prism: () => Promise<PrismEngine>;
  /** Send every request through Prism. */
  prismOnly: boolean;
  validators: ContractValidators;
  /** Hosts socialize.login may redirect to (with their subdomains, and loopback); undefined: any. */
  trustedDomains?: readonly string[];
}

// A known form operation's fields after the checks that do not depend on Prism.
interface FormInput {
  fields: Map<string, string>;
  text: string;
}

/** How many requests each path answered (the fast path, or Prism's engine). */
export interface PathCounts {
  fastPath: number;
  prism: number;
}

export class Api {
  readonly counts: PathCounts = { fastPath: 0, prism: 0 };
  private readonly envelopes: Envelopes;
  private readonly methodNames: string;

  constructor(private readonly options: ApiOptions) {
    this.envelopes = new Envelopes(options.contract.errorMessages);
    this.methodNames = [...options.contract.operations.values()].map((op) => op.operationId).join(', ');
  }

  get envelope(): Envelopes {
    return this.envelopes;
  }

  async handle(request: ApiRequest): Promise<ApiResult> {
    const { contract } = this.options;
    const operation = contract.operations.get(request.path);
    const query = parseFormText(request.query);
    let params: Map<string, string>;
    let text: string | undefined;

    // The request's own parameters: the form of a POST, or the query of a GET.
    let form: FormInput | undefined;
    if ('fault' in query) return this.json(this.envelopes.error(faultError(query.fault)), new Map());
    const queryFields = query.fields;
    const preferred = preferredExample(request.headers.prefer);
    const fromQuery = queryFields.get(EXAMPLE_PARAM);
    const exampleName = fromQuery ?? preferred;
    queryFields.delete(EXAMPLE_PARAM);

    if (operation && operation.method === 'post' && request.method === 'POST' && operation.relaxedSchema) {
      const type = mediaType(request.headers['content-type']);
      if (request.body.length > 0 && type !== FORM) {
        return this.json(
          this.envelopes.error({
            errorCode: 400001,
            errorDetails: `Content-Type: ${operation.operationId} takes an ${FORM} body${type ? `, not ${type}` : ''}`,
          }),
          queryFields,
        );
      }
      const decoded = decodeBody(request.body);
      if ('fault' in decoded) return this.json(this.envelopes.error(faultError(decoded.fault)), queryFields);
      const parsed = parseFormText(decoded.text);
      if ('fault' in parsed) return this.json(this.envelopes.error(faultError(parsed.fault)), queryFields);
      form = { fields: parsed.fields, text: decoded.text };
      params = parsed.fields;
      text = decoded.text;
    } else {
      params = queryFields;
    }
    const context = params.get('context');

    if (exampleName !== undefined && operation && operation.method === request.method.toLowerCase()) {
      if (!operation.examples.has(exampleName)) {
        const source = fromQuery !== undefined ? EXAMPLE_PARAM : 'Prefer';
        return this.json(
          this.envelopes.error(
            {
              errorCode: 400006,
              errorDetails: `${source}: ${operation.operationId} has no example named ${JSON.stringify(exampleName)}; available: ${[...operation.examples.keys()].join(', ')}`,
            },
            context,
          ),
          params,
        );
      }
    }

    // Fast path: a form the mock's validator proves valid, with no scenario, needs nothing from Prism.
    if (!this.options.prismOnly && form && operation && exampleName === undefined && form.fields.size > 0) {
      const data = typedParams(operation, form.fields);
      if (this.options.validators.for(operation).params(data)) {
        this.counts.fastPath++;
        return this.afterValidation(operation, request, params, data, undefined, context);
      }
    }

    this.counts.prism++;
    const headers: Record<string, string> = {};
    const type = request.headers['content-type'];
    if (type !== undefined) headers['content-type'] = type;
    if (request.method !== 'GET' && request.method !== 'HEAD') headers['content-length'] = String(request.body.length);
    let engine: PrismEngine;
    try {
      engine = await this.options.prism();
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return this.json(this.envelopes.error({ errorCode: 500001, errorDetails: `mock: Prism's engine did not load: ${message}` }, context), params);
    }
    const verdict = await engine.run(
      {
        method: request.method,
        path: request.path,
        query: Object.fromEntries(queryFields),
        headers,
        ...(text === undefined ? {} : { body: text }),
      },
      exampleName,
    );
    switch (verdict.kind) {
      case 'noPath':
        return this.json(
          this.envelopes.error({
            errorCode: 404000,
            errorDetails: `${request.path.replace(/^\//, '') || '/'}: no such method; this API has ${this.methodNames}`,
          }, context),
          params,
        );
      case 'noMethod':
        return this.json(
          this.envelopes.error({
            errorCode: 400001,
            errorDetails: operation
              ? `${operation.operationId}: send a ${operation.method.toUpperCase()} request, not ${request.method}`
              : `${request.method} is not used by this method`,
          }, context),
          params,
        );
      case 'unknownExample':
        return this.json(
          this.envelopes.error({ errorCode: 400006, errorDetails: `${EXAMPLE_PARAM}: no example named ${JSON.stringify(exampleName)}` }, context),
          params,
        );
      case 'failure':
        return this.json(this.envelopes.error({ errorCode: 500001, errorDetails: `mock: ${verdict.message}` }, context), params);
      case 'invalid': {
        const problems = verdict.problems.filter((p) => p.keyword !== 'bodyRequired');
        if (problems.length > 0 || !operation) {
          return this.json(this.envelopes.error(this.mapProblems(operation, problems), context), params);
        }
        // Prism refuses an empty body outright; the mock's own check names what is missing instead.
        break;
      }
      case 'valid':
        break;
    }
    if (!operation) return this.json(this.envelopes.error({ errorCode: 404000, errorDetails: `${request.path}: no such method` }, context), params);
    // Prism found nothing wrong; the mock's own check applies what Prism does not (dependentRequired,
    // strict numbers and booleans, empty query values).
    const data = typedParams(operation, params);
    const check = this.options.validators.for(operation).params;
    if (!check(data)) return this.json(this.envelopes.error(this.mapProblems(operation, ajvProblems(check.errors)), context), params);
    return this.afterValidation(operation, request, params, data, exampleName, context);
  }

  private json(answer: Answer, params: Map<string, string>): ApiResult {
    const callback = params.get('format') === 'jsonp' ? params.get('callback') : undefined;
    return {
      kind: 'json',
      answer,
      httpStatusCodes: params.get('httpStatusCodes') === 'true',
      ...(callback !== undefined && CALLBACK.test(callback) && callback.length <= 100 ? { callback } : {}),
    };
  }

  /** Chooses the one error to answer for a list of validation problems. */
  mapProblems(operation: OperationInfo | undefined, found: Problem[]): ErrorSpec {
    const order = operation ? [...operation.knownParams] : [];
    // Prism reports query parameter names in lower case; name them as the contract spells them.
    const lower = new Map(order.map((name) => [name.toLowerCase(), name]));
    const spelled = (name: string | undefined) => (name === undefined ? undefined : lower.get(name.toLowerCase()) ?? name);
    const problems = found.map((p) => {
      const path = p.path.length > 0 ? [spelled(p.path[0])!, ...p.path.slice(1)] : p.path;
      const missing = spelled(p.missing);
      return missing === undefined ? { ...p, path } : { ...p, path, missing };
    });
    const rank = (name: string | undefined) => {
      const i = name === undefined ? -1 : order.indexOf(name);
      return i === -1 ? order.length : i;
    };
    const byParam = (a: Problem, b: Problem) => rank(a.missing ?? a.path[0]) - rank(b.missing ?? b.path[0]);

    const contentType = problems.find((p) => p.keyword === 'contentType');
    if (contentType) {
      return { errorCode: 400001, errorDetails: `Content-Type: ${operation?.operationId ?? 'this method'} takes an ${FORM} body` };
    }
    if (operation?.operationId === 'socialize.login') {
      const redirect = problems.find((p) => p.path[0] === 'redirect_uri' || p.missing === 'redirect_uri');
      if (redirect) {
        return {
          errorCode: 400011,
          errorDetails: redirect.missing
            ? 'redirect_uri: missing; give the absolute http(s) URL to send the browser back to'
            : `redirect_uri: ${redirect.message} (an absolute http(s) URL)`,
        };
      }
      if (problems.some((p) => p.path[0] === 'response_type' && p.keyword !== 'required')) {
        return { errorCode: 400012, errorDetails: 'response_type: must be token or code' };
      }
    }
    const alternatives = new Set(operation?.alternatives ?? []);
    const missing = problems.filter((p) => (p.keyword === 'required' || p.keyword === 'dependentRequired') && p.missing !== undefined);
    const plain = missing.filter((p) => p.keyword === 'dependentRequired' || !alternatives.has(p.missing!)).sort(byParam);
    if (plain.length > 0) return { errorCode: 400002, errorDetails: `Missing required parameter: ${plain[0]!.missing}` };
    const values = problems.filter((p) => !COMBINATOR_KEYWORDS.has(p.keyword)).sort(byParam);
    if (values.length > 0) {
      const first = values[0]!;
      return { errorCode: 400006, errorDetails: `${first.path.join('.') || 'request'}: ${first.message}` };
    }
    if (missing.length > 0) {
      return { errorCode: 400002, errorDetails: `Missing required parameter: ${[...alternatives].join(' or ')}` };
    }
    const first = problems[0];
    return { errorCode: 400006, errorDetails: first ? `${first.path.join('.') || 'request'}: ${first.message}` : 'request: not valid' };
  }

  // Everything after the request's shape is known to be right: JSON fields, unknown parameters, the
  // scenario or the credentials and the computed answer.
  private async afterValidation(
    operation: OperationInfo,
    request: ApiRequest,
    params: Map<string, string>,
    data: Record<string, unknown>,
    exampleName: string | undefined,
    context: string | undefined,
  ): Promise<ApiResult> {
    const fail = (spec: ErrorSpec) => this.json(this.envelopes.error(spec, context), params);

    // JSON-valued fields: parse, then check against the contract's schema for them.
    const parsedJson = new Map<string, unknown>();
    if (operation.jsonFields.size > 0) {
      const validators = this.options.validators.for(operation);
      for (const name of operation.jsonFields.keys()) {
        const text = params.get(name);
        if (text === undefined) continue;
        const validate = validators.json(name)!;
        // JSON.parse itself copes with deep nesting, but what reads the value afterwards recurses.
        if (jsonDepthExceeds(text, JSON_DEPTH_LIMIT)) {
          return fail({ errorCode: 400006, errorDetails: `${name}: nested deeper than ${JSON_DEPTH_LIMIT} levels` });
        }
        let value: unknown;
        try {
          value = JSON.parse(text);
        } catch {
          return fail({ errorCode: 400004, errorDetails: `${name}: not valid JSON text` });
        }
        if (!validate(value)) {
          const problems = ajvProblems(validate.errors, [name]);
          const first = problems.find((p) => !COMBINATOR_KEYWORDS.has(p.keyword)) ?? problems[0];
          const where = first?.missing ? [...(first.path ?? []), first.missing].join('.') : (first?.path.join('.') ?? name);
          return fail({ errorCode: 400006, errorDetails: `${where}: ${first?.missing ? 'is required' : (first?.message ?? 'is not valid')}` });
        }
        parsedJson.set(name, value);
      }
    }

    // Parameters the method does not know: listed in ignoredParams, or refused with checkParams=true.
    const unknown = [...params.keys()].filter((name) => !operation.knownParams.has(name));
    if (unknown.length > 0 && params.get('checkParams') === 'true') {
      return fail({ errorCode: 403007, errorDetails: `checkParams: not parameters of ${operation.operationId}: ${listedNames(unknown)}` });
    }
    const ignored = ignoredParamsOf(operation.operationId, unknown);

    if (exampleName !== undefined) {
      const example = operation.examples.get(exampleName);
      if (example) return this.json(await this.liveExample(example, context), params);
    }

    const now = Math.floor(Date.now() / 1000);
    if (operation.method === 'get') return this.login(params, context, now);

    const checked = await this.options.credentials.check({
      fields: params,
      url: request.url,
      method: request.method,
      ...(typeof request.headers.authorization === 'string' ? { authorization: request.headers.authorization } : {}),
      nowSeconds: now,
    });
    if (checked) return fail(checked);

    const serverCall = params.has('secret') || params.has('sig');
    switch (operation.operationId) {
      case 'socialize.setUID':
      case 'socialize.notifyRegistration': {
        const UID = params.get('UID');
        if (serverCall && UID === undefined) return fail({ errorCode: 400002, errorDetails: 'Missing required parameter: UID' });
        if (UID !== undefined && params.get('siteUID') === UID) {
          return fail({ errorCode: 400006, errorDetails: 'siteUID: must differ from the Gigya UID' });
        }
        return this.json(this.envelopes.ok(ignored, context), params);
      }
      case 'socialize.notifyLogin':
        return this.json(this.envelopes.ok({ ...(await this.notifyLogin(params, data, parsedJson, now)), ...ignored }, context), params);
      default:
        return this.json(this.envelopes.ok(ignored, context), params);
    }
  }

  // A named example as a live answer; a UIDSignature in it is made anew, so that it verifies.
  private async liveExample(example: Record<string, unknown>, context: string | undefined): Promise<Answer> {
    const answer = this.envelopes.example(example, context);
    const body = answer.body;
    if (typeof body.UID === 'string' && typeof body.UIDSignature === 'string') {
      const now = Math.floor(Date.now() / 1000);
      body.signatureTimestamp = String(now);
      body.UIDSignature = await this.options.credentials.signUID(body.UID, now);
    }
    return answer;
  }

  private async notifyLogin(
    params: Map<string, string>,
    data: Record<string, unknown>,
    json: Map<string, unknown>,
    now: number,
  ): Promise<Record<string, unknown>> {
    const { credentials } = this.options;
    const siteUID = params.get('siteUID');
    // Gigya reports the user under the siteUID once one is given; a login with network sessions only
    // gets a Gigya UID, derived here from the first session so that the same session gives the same UID.
    const UID = siteUID ?? derivedUID(JSON.stringify(firstSession(json.get('providerSessions'))));
    const UIDSignature = await credentials.signUID(UID, now);
    const expiration = typeof data.sessionExpiration === 'number' && data.sessionExpiration > 0 ? { expires_in: data.sessionExpiration } : {};
    const session = credentials.issueToken('session', UID);
    if (params.get('targetEnv') === 'mobile') {
      return {
        UID,
        UIDSignature,
        signatureTimestamp: String(now),
        sessionInfo: {
          sessionToken: session,
          sessionSecret: createHash('sha256').update(`${session}\0secret`).digest().subarray(0, 20).toString('base64'),
          ...expiration,
        },
      };
    }
    return {
      UID,
      UIDSignature,
      signatureTimestamp: String(now),
      cookieName: `glt_${credentials.site.apiKey}`,
      cookieValue: session,
      cookiePath: '/',
    };
  }

  private async login(params: Map<string, string>, context: string | undefined, now: number): Promise<ApiResult> {
    const fail = (spec: ErrorSpec) => this.json(this.envelopes.error(spec, context), params);
    const redirect = params.get('redirect_uri') ?? '';
    let target: URL;
    try {
      target = new URL(redirect);
    } catch {
      return fail({ errorCode: 400011, errorDetails: 'redirect_uri: must be an absolute http(s) URL' });
    }
    if ((target.protocol !== 'https:' && target.protocol !== 'http:') || target.hash !== '' || redirect.includes('#')) {
      return fail({ errorCode: 400011, errorDetails: 'redirect_uri: must be an absolute http(s) URL without a fragment' });
    }
    const refused = redirectRefusal(target, this.options.trustedDomains);
    if (refused) return fail(refused);
    if (params.get('client_id') !== this.options.credentials.site.apiKey) {
      return fail({ errorCode: 400093, errorDetails: 'client_id: not a known API key' });
    }
    const provider = params.get('x_provider')!;
    const UID = derivedUID(`${provider}\0${params.get('client_id')}`);
    const result = new URLSearchParams({
      UID,
      UIDSignature: await this.options.credentials.signUID(UID, now),
      signatureTimestamp: String(now),
      loginProvider: provider,
      loginProviderUID: createHash('sha256').update(`uid\0${UID}`).digest('hex').slice(0, 16),
      provider,
      nickname: 'Mock User',
    });
    if (params.get('response_type') === 'code') {
      result.set('code', this.options.credentials.issueToken('token', UID).split('.')[2]!);
    } else {
      result.set('access_token', this.options.credentials.issueToken('token', UID));
      result.set('expires_in', '3600');
    }
    const state = params.get('state');
    if (state !== undefined) result.set('state', state);
    // Appended to redirect_uri's own query, which stays as it was.
    const base = target.href;
    return { kind: 'redirect', location: `${base}${base.includes('?') ? '&' : '?'}${result}` };
  }
}

/** Unknown parameters listed in an answer's ignoredParams at most; the rest are counted, not listed. */
export const IGNORED_PARAMS_LISTED = 20;
/** Characters of a parameter name repeated in an answer at most. */
const NAME_ECHO_CHARS = 100;

const echoName = (name: string) => (name.length > NAME_ECHO_CHARS ? `${name.slice(0, NAME_ECHO_CHARS)}…` : name);

/** Names for errorDetails: the first IGNORED_PARAMS_LISTED, each cut to NAME_ECHO_CHARS, then a count. */
function listedNames(names: string[]): string {
  const shown = names.slice(0, IGNORED_PARAMS_LISTED).map(echoName).join(', ');
  return names.length > IGNORED_PARAMS_LISTED ? `${shown} and ${names.length - IGNORED_PARAMS_LISTED} more` : shown;
}

// The ignoredParams warning, bounded: an answer never grows with the number or length of unknown names.
function ignoredParamsOf(operationId: string, unknown: string[]): { ignoredParams?: Array<Record<string, unknown>> } {
  if (unknown.length === 0) return {};
  const listed = unknown.slice(0, IGNORED_PARAMS_LISTED).map((name) => ({
    paramName: echoName(name),
    warningCode: 403007,
    message: `Not a parameter of ${operationId}; ignored.`,
  }));
  if (unknown.length > IGNORED_PARAMS_LISTED) {
    listed[listed.length - 1]!.message += ` ${unknown.length - IGNORED_PARAMS_LISTED} more unknown parameters are not listed.`;
  }
  return { ignoredParams: listed };
}

function firstSession(sessions: unknown): unknown {
  if (sessions && typeof sessions === 'object') {
    const [entry] = Object.entries(sessions as Record<string, unknown>);
    return entry ?? null;
  }
  return null;
}

/** A Gigya-style generated UID (`_gid_` + 22 Base64 characters), the same for the same seed. */
export function derivedUID(seed: string): string {
  return `_gid_${createHash('sha256').update(seed).digest().subarray(0, 16).toString('base64')}`;
}
