// What the mock answers to one request, independent of the HTTP plumbing: one pipeline of named stages.
//   parse        request line, query and form body, scenario (request.ts)
//   route        the contract's operation, or a control under /__mock/ (controls.ts)
//   validate     the fast path, else Prism's engine, behind one interface (validators.ts)
//   authenticate the site and the credentials the call carries (sites.ts, credentials.ts)
//   apply        the method's step of the lifecycle on the site's accounts (answers.ts, lifecycle.ts)
//   answer       Gigya's envelope, a redirect, or a page
// A scenario (`Prefer: example=…`, `?__example=`) is answered after validation and never touches the state.
import type { LoadedContract, OperationInfo } from './contract.js';
import { CredentialChecker, type CallCredentials } from './credentials.js';
import { Envelopes, type Answer, type ErrorSpec } from './envelope.js';
import { applyNotifyLogin, applyNotifyRegistration, applySetUID, finalizes, loginResult, type Applied, type Call } from './answers.js';
import { Controls, CONTROL_PREFIX } from './controls.js';
import { chosenLogin, identityPage, IDENTITY_PAGE, type Page } from './identity-page.js';
import { redirectRefusal } from './redirect.js';
import { parseRequest, sdkBoolean, type ApiRequest, type ParsedRequest } from './request.js';
import type { Site, Sites } from './sites.js';
import { checkJsonFields, checkUnknownParams, type RequestValidator, type Verdict } from './validators.js';
import type { ContractValidators } from './validation.js';

export type ApiResult =
  | {
      kind: 'json';
      answer: Answer;
      /** The request asked for the HTTP status to follow statusCode. */
      httpStatusCodes: boolean;
      /** `format=jsonp`: the callback to wrap the answer in. */
      callback?: string;
    }
  | { kind: 'redirect'; location: string }
  | Page;

const CALLBACK = /^[A-Za-z_$][A-Za-z0-9_$.]*$/;
/** The name `mock_identity` takes to send the browser to the identity page. */
const CHOOSE_IDENTITY = 'choose';

export interface PipelineOptions {
  contract: LoadedContract;
  sites: Sites;
  validators: ContractValidators;
  /** Tried in order until one decides: the fast path (unless Prism only), then Prism's engine. */
  chain: RequestValidator[];
  /** Called after a call changed a site's accounts (persistence). */
  changed?: () => void;
  /** Hosts socialize.login may redirect to (with their subdomains, and loopback); undefined: any. */
  trustedDomains?: readonly string[];
}

export type Awaitable<T> = T | Promise<T>;
export const isPromise = <T>(value: Awaitable<T>): value is Promise<T> => value instanceof Promise;
/**
 * `next` applied to a value now, or once its promise settles: a stage that did not wait costs no promise.
 * (Not named `then`: a module that exports `then` is a thenable, which `await import()` would call.)
 */
export const andThen = <T, U>(value: Awaitable<T>, next: (value: T) => Awaitable<U>): Awaitable<U> =>
  isPromise(value) ? value.then(next) : next(value);

type Validated =
  | { operation: OperationInfo; data: Record<string, unknown>; json: Map<string, unknown>; ignored: Record<string, unknown> }
  | { error: ErrorSpec };
type Authenticated = { site: Site; tokenUID?: string } | { error: ErrorSpec };

// The site a call is for once its credentials passed (with the UID its oauth_token names), or the failure.
function authenticated(site: Site, token: string | undefined, failure: ErrorSpec | undefined): Authenticated {
  if (failure) return { error: failure };
  const tokenUID = token === undefined ? undefined : site.credentials.tokenUID(token);
  return tokenUID === undefined ? { site } : { site, tokenUID };
}

// The pipeline's stages answer synchronously when nothing they do needs to wait (the fast path with the
// partner secret never does); only a stage that returns a promise is awaited, so that a plain call does not
// pay for a chain of promises and turns of the microtask queue.
export class Pipeline {
  readonly envelopes: Envelopes;
  private readonly controls: Controls;

  constructor(private readonly options: PipelineOptions) {
    this.envelopes = new Envelopes(options.contract.errorMessages);
    this.controls = new Controls(options.sites, this.envelopes, options.validators, () => options.changed?.());
  }

  private formOf = (path: string): string | undefined => {
    const operation = this.options.contract.operations.get(path);
    if (operation?.method === 'post' && operation.relaxedSchema) return operation.operationId;
    return path.startsWith(CONTROL_PREFIX) ? path : undefined;
  };

  json(answer: Answer, params: Map<string, string>): ApiResult {
    const callback = params.get('format') === 'jsonp' ? params.get('callback') : undefined;
    const result: ApiResult = { kind: 'json', answer, httpStatusCodes: sdkBoolean(params.get('httpStatusCodes')) === true };
    if (callback !== undefined && CALLBACK.test(callback) && callback.length <= 100) result.callback = callback;
    return result;
  }

  private fail(spec: ErrorSpec, params: Map<string, string>): ApiResult {
    return this.json(this.envelopes.error(spec, params.get('context')), params);
  }

  /** One request's result: synchronous when no stage waits (a valid call with the partner secret), else a promise. */
  handle(request: ApiRequest): Awaitable<ApiResult> {
    const parsed = parseRequest(request, this.formOf); // parse
    if ('error' in parsed) return this.json(this.envelopes.error(parsed.error), parsed.params);
    const req = parsed.ok;
    if (req.path === IDENTITY_PAGE && req.method === 'GET') return this.identityPage(req); // route
    if (req.path.startsWith(CONTROL_PREFIX)) return this.controls.handle(req).then((answer) => this.json(answer, req.params));
    const operation = this.options.contract.operations.get(req.path);
    const unknownExample = this.unknownExample(req, operation);
    if (unknownExample) return this.fail(unknownExample, req.params);
    return andThen(this.validate(req, operation), (validated) => this.validated(req, validated)); // validate
  }

  // After validation: a scenario's example, socialize.login's redirect, or a call to authenticate and apply.
  private validated(req: ParsedRequest, validated: Validated): Awaitable<ApiResult> {
    if ('error' in validated) return this.fail(validated.error, req.params);
    const { operation: op, data, json, ignored } = validated;
    if (req.example !== undefined) {
      const example = op.examples.get(req.example.name);
      if (example) return this.liveExample(example, req).then((answer) => this.json(answer, req.params));
    }
    const nowSeconds = Math.floor(Date.now() / 1000);
    if (op.method === 'get') return this.login(req, data, nowSeconds);
    return andThen(this.authenticate(req, nowSeconds), (authenticated) => {
      // authenticate
      if ('error' in authenticated) return this.fail(authenticated.error, req.params);
      const call: Call = { site: authenticated.site, request: req, data, json, nowSeconds };
      if (authenticated.tokenUID !== undefined) call.tokenUID = authenticated.tokenUID;
      return andThen(this.apply(op, call), (applied) => this.answer(req, applied, ignored)); // apply
    });
  }

  private answer(req: ParsedRequest, applied: Applied, ignored: Record<string, unknown>): ApiResult {
    if ('error' in applied) return this.fail(applied.error, req.params);
    this.options.changed?.();
    return this.json(this.envelopes.ok(applied.members, req.params.get('context'), ignored), req.params); // answer
  }

  private unknownExample(req: ParsedRequest, operation: OperationInfo | undefined): ErrorSpec | undefined {
    if (req.example === undefined || !operation || operation.method !== req.method.toLowerCase()) return undefined;
    if (operation.examples.has(req.example.name)) return undefined;
    return {
      errorCode: 400006,
      errorDetails: `${req.example.source}: ${operation.operationId} has no example named ${JSON.stringify(req.example.name)}; available: ${[...operation.examples.keys()].join(', ')}`,
    };
  }

  private validate(req: ParsedRequest, operation: OperationInfo | undefined): Awaitable<Validated> {
    const verdict = this.decide(req, operation);
    return isPromise(verdict) ? verdict.then((v) => this.checked(req, operation, v)) : this.checked(req, operation, verdict);
  }

  // The first verdict of the chain, from `from` on; synchronous for as long as the validators answer so.
  private decide(req: ParsedRequest, operation: OperationInfo | undefined, from = 0): Awaitable<Verdict | undefined> {
    const { chain } = this.options;
    for (let i = from; i < chain.length; i++) {
      const verdict = chain[i]!.validate(req, operation);
      if (isPromise(verdict)) return verdict.then((v) => v ?? this.decide(req, operation, i + 1));
      if (verdict) return verdict;
    }
    return undefined;
  }

  // What the mock checks itself after the chain's verdict: JSON-valued fields, then unknown parameters.
  private checked(req: ParsedRequest, operation: OperationInfo | undefined, verdict: Verdict | undefined): Validated {
    if (!verdict || !operation)
      return { error: verdict && 'error' in verdict ? verdict.error : { errorCode: 404000, errorDetails: `${req.path}: no such method` } };
    if ('error' in verdict) return verdict;
    const json = checkJsonFields(this.options.validators, operation, req.params);
    if ('error' in json) return json;
    const unknown = checkUnknownParams(operation, req.params, sdkBoolean(req.params.get('checkParams')) === true);
    if ('error' in unknown) return unknown;
    return { operation, data: verdict.valid, json: json.json, ignored: unknown.ignored };
  }

  // The site the call is for, and its credentials checked: by API key, by client_id (login), or by the site an oauth_token names.
  private authenticate(req: ParsedRequest, nowSeconds: number): Awaitable<Authenticated> {
    const { sites } = this.options;
    const token = req.params.get('oauth_token');
    const apiKey = req.params.get('apiKey') ?? (token === undefined ? undefined : CredentialChecker.tokenApiKey(token));
    const site = (apiKey === undefined ? undefined : sites.get(apiKey)) ?? sites.main;
    // Assigned, not spread from a temporary object (every call).
    const given: CallCredentials = { fields: req.params, urls: req.urls, method: req.method, nowSeconds };
    if (typeof req.headers.authorization === 'string') given.authorization = req.headers.authorization;
    const failure = site.credentials.check(given);
    return isPromise(failure) ? failure.then((f) => authenticated(site, token, f)) : authenticated(site, token, failure);
  }

  private apply(op: OperationInfo, call: Call): Applied | Promise<Applied> {
    switch (op.operationId) {
      case 'socialize.setUID':
        return applySetUID(call);
      case 'socialize.notifyRegistration':
        return applyNotifyRegistration(call);
      case 'socialize.notifyLogin':
        return applyNotifyLogin(call);
      default:
        return { members: {} };
    }
  }

  // A named example as a live answer; a UIDSignature in it is made anew, so that it verifies.
  private async liveExample(example: Record<string, unknown>, req: ParsedRequest): Promise<Answer> {
    const answer = this.envelopes.example(example, req.params.get('context'));
    const body = answer.body;
    if (typeof body.UID === 'string' && typeof body.UIDSignature === 'string') {
      const now = Math.floor(Date.now() / 1000);
      const site = this.options.sites.get(req.params.get('apiKey') ?? '') ?? this.options.sites.main;
      body.signatureTimestamp = String(now);
      body.UIDSignature = await site.credentials.signUID(body.UID, now);
    }
    return answer;
  }

  private redirectTarget(params: Map<string, string>): URL | ErrorSpec {
    const redirect = params.get('redirect_uri') ?? '';
    let target: URL;
    try {
      target = new URL(redirect);
    } catch {
      return { errorCode: 400011, errorDetails: 'redirect_uri: must be an absolute http(s) URL' };
    }
    if ((target.protocol !== 'https:' && target.protocol !== 'http:') || target.hash !== '' || redirect.includes('#')) {
      return { errorCode: 400011, errorDetails: 'redirect_uri: must be an absolute http(s) URL without a fragment' };
    }
    return redirectRefusal(target, this.options.trustedDomains) ?? target;
  }

  // socialize.login: the redirect target, the site (client_id), then the identity's account.
  private async login(req: ParsedRequest, data: Record<string, unknown>, nowSeconds: number): Promise<ApiResult> {
    const { params } = req;
    const target = this.redirectTarget(params);
    if (!(target instanceof URL)) return this.fail(target, params);
    const site = this.options.sites.get(params.get('client_id')!);
    if (!site) return this.fail({ errorCode: 400093, errorDetails: 'client_id: not a known API key' }, params);
    const call: Call = { site, request: req, data, json: new Map(), nowSeconds };
    const name = params.get('mock_identity') ?? 'default';
    if (name === CHOOSE_IDENTITY) {
      const query = new URLSearchParams([...params].filter(([key]) => key !== 'mock_identity'));
      return { kind: 'redirect', location: `${IDENTITY_PAGE}?${query}` };
    }
    const provider = params.get('x_provider')!;
    const outcome = call.site.lifecycle.socialLogin({ provider, name, finalize: finalizes(call) });
    if ('error' in outcome) return this.fail(outcome.error, params);
    this.options.changed?.();
    const result = await loginResult(call, outcome.ok, provider);
    // Appended to redirect_uri's own query, which stays as it was.
    const base = target.href;
    return { kind: 'redirect', location: `${base}${base.includes('?') ? '&' : '?'}${result}` };
  }

  private identityPage(req: ParsedRequest): ApiResult {
    if (req.query.has('mock_continue')) {
      const chosen = chosenLogin(req.query);
      return 'location' in chosen
        ? { kind: 'redirect', location: chosen.location }
        : this.fail({ errorCode: 400006, errorDetails: chosen.error }, req.query);
    }
    const site = this.options.sites.get(req.query.get('client_id') ?? '');
    const provider = req.query.get('x_provider');
    if (!site || provider === undefined) {
      return this.fail(
        {
          errorCode: 400002,
          errorDetails:
            'Missing required parameter: client_id and x_provider of a known site (open it through socialize.login with mock_identity=choose)',
        },
        req.query,
      );
    }
    const names = [...site.lifecycle.store.all()].flatMap((a) =>
      a.identities.filter((i) => i.provider === provider && i.name !== undefined).map((i) => i.name!),
    );
    return identityPage(provider, names, req.query);
  }
}
