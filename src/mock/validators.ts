// Stages 2 and 3 of the pipeline, route and validate, behind one interface with two implementations: the
// fast path (the mock's own Ajv check, which only ever says "valid" or "cannot tell") and Prism's engine
// (routing, validation, example lookup), which decides everything else. docs/DECISIONS.md item 11 says
// why the fast path gives the same answers; test/mock/server-parity.test.ts holds the two to that.
import type { LoadedContract, OperationInfo } from './contract.js';
import type { ErrorSpec } from './envelope.js';
import { jsonDepthExceeds, JSON_DEPTH_LIMIT } from './form.js';
import { COMBINATOR_KEYWORDS, errorOfProblems } from './problems.js';
import type { PrismEngine } from './prism.js';
import type { ParsedRequest } from './request.js';
import { ajvProblems, canonicalBooleans, typedParams, type ContractValidators } from './validation.js';

/** A request the validators accept: its typed parameters. */
export type Verdict = { valid: Record<string, unknown> } | { error: ErrorSpec };

export interface RequestValidator {
  /** The verdict, or undefined when this validator cannot tell (the next one decides). */
  validate(request: ParsedRequest, operation: OperationInfo | undefined): Verdict | undefined | Promise<Verdict | undefined>;
}

// The mock's own strict check of an operation's parameters (dependentRequired, strict numbers and booleans).
function strictCheck(validators: ContractValidators, operation: OperationInfo, params: Map<string, string>): Verdict {
  const data = typedParams(operation, params);
  const check = validators.for(operation).params;
  if (check(data)) return { valid: data };
  return { error: errorOfProblems(operation, ajvProblems(check.errors)) };
}

/** The fast path: a form without a scenario that the mock's own validator proves valid. */
export class FastValidator implements RequestValidator {
  constructor(private readonly validators: ContractValidators) {}

  validate(request: ParsedRequest, operation: OperationInfo | undefined): Verdict | undefined {
    if (!operation || !request.form || request.example !== undefined || request.form.fields.size === 0) return undefined;
    const verdict = strictCheck(this.validators, operation, request.form.fields);
    return 'valid' in verdict ? verdict : undefined;
  }
}

/** Prism's engine, then the mock's own check for what Prism does not see. */
export class PrismValidator implements RequestValidator {
  /** How many requests Prism's engine was asked about. */
  count = 0;

  constructor(
    private readonly engine: () => Promise<PrismEngine>,
    private readonly contract: LoadedContract,
    private readonly validators: ContractValidators,
  ) {}

  private methodNames(): string {
    return [...this.contract.operations.values()].map((op) => op.operationId).join(', ');
  }

  // Prism's view of the request: booleans spelled as it reads them.
  private prismInput(request: ParsedRequest, operation: OperationInfo | undefined) {
    const headers: Record<string, string> = {};
    const type = request.headers['content-type'];
    if (typeof type === 'string') headers['content-type'] = type;
    const query = operation && !request.form ? canonicalBooleans(operation, request.query) : request.query;
    let body = request.form?.text;
    if (operation && request.form) {
      const fields = canonicalBooleans(operation, request.form.fields);
      if (fields !== request.form.fields) body = new URLSearchParams([...fields]).toString();
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') headers['content-length'] = String(body === undefined ? 0 : Buffer.byteLength(body));
    return { method: request.method, path: request.path, query: Object.fromEntries(query), headers, ...(body === undefined ? {} : { body }) };
  }

  async validate(request: ParsedRequest, operation: OperationInfo | undefined): Promise<Verdict> {
    this.count++;
    let engine: PrismEngine;
    try {
      engine = await this.engine();
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return { error: { errorCode: 500001, errorDetails: `mock: Prism's engine did not load: ${message}` } };
    }
    const verdict = await engine.run(this.prismInput(request, operation), request.example?.name);
    switch (verdict.kind) {
      case 'noPath':
        return { error: { errorCode: 404000, errorDetails: `${request.path.replace(/^\//, '') || '/'}: no such method; this API has ${this.methodNames()}` } };
      case 'noMethod':
        return {
          error: {
            errorCode: 400001,
            errorDetails: operation ? `${operation.operationId}: send a ${operation.method.toUpperCase()} request, not ${request.method}` : `${request.method} is not used by this method`,
          },
        };
      case 'unknownExample':
        return { error: { errorCode: 400006, errorDetails: `__example: no example named ${JSON.stringify(request.example?.name)}` } };
      case 'failure':
        return { error: { errorCode: 500001, errorDetails: `mock: ${verdict.message}` } };
      case 'invalid': {
        const problems = verdict.problems.filter((p) => p.keyword !== 'bodyRequired');
        // Prism refuses an empty body outright; the mock's own check names what is missing instead.
        if (problems.length > 0 || !operation) return { error: errorOfProblems(operation, problems) };
        break;
      }
      case 'valid':
        break;
    }
    if (!operation) return { error: { errorCode: 404000, errorDetails: `${request.path}: no such method` } };
    return strictCheck(this.validators, operation, request.params);
  }
}

/** JSON-valued fields: parsed, then checked against the contract's schema for them. */
export function checkJsonFields(validators: ContractValidators, operation: OperationInfo, params: Map<string, string>): { json: Map<string, unknown> } | { error: ErrorSpec } {
  const parsed = new Map<string, unknown>();
  for (const name of operation.jsonFields.keys()) {
    const text = params.get(name);
    if (text === undefined) continue;
    const validate = validators.for(operation).json(name)!;
    // JSON.parse itself copes with deep nesting, but what reads the value afterwards recurses.
    if (jsonDepthExceeds(text, JSON_DEPTH_LIMIT)) {
      return { error: { errorCode: 400006, errorDetails: `${name}: nested deeper than ${JSON_DEPTH_LIMIT} levels` } };
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      return { error: { errorCode: 400004, errorDetails: `${name}: not valid JSON text` } };
    }
    if (!validate(value)) {
      const problems = ajvProblems(validate.errors, [name]);
      const first = problems.find((p) => !COMBINATOR_KEYWORDS.has(p.keyword)) ?? problems[0];
      const where = first?.missing ? [...(first.path ?? []), first.missing].join('.') : (first?.path.join('.') ?? name);
      return { error: { errorCode: 400006, errorDetails: `${where}: ${first?.missing ? 'is required' : (first?.message ?? 'is not valid')}` } };
    }
    parsed.set(name, value);
  }
  return { json: parsed };
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

/** Parameters the method does not know: listed in ignoredParams, or refused with checkParams=true. */
export function checkUnknownParams(operation: OperationInfo, params: Map<string, string>, strict: boolean): { ignored: Record<string, unknown> } | { error: ErrorSpec } {
  const unknown = [...params.keys()].filter((name) => !operation.knownParams.has(name));
  if (unknown.length > 0 && strict) return { error: { errorCode: 403007, errorDetails: `checkParams: not parameters of ${operation.operationId}: ${listedNames(unknown)}` } };
  return { ignored: ignoredParamsOf(operation.operationId, unknown) };
}
