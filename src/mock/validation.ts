// The mock's own JSON Schema checks (Ajv, the 2020-12 dialect of OpenAPI 3.1): the form as a whole
// (the keywords Prism's draft-07 validator skips, such as dependentRequired), and the parsed content of
// each JSON-valued field against the contract's schema for it. Problems from here and from Prism are
// both turned into one Problem shape, so that one mapping decides the errorCode.
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { LoadedContract, OperationInfo, Schema } from './contract.js';
import { sdkBoolean } from './request.js';

/** One thing wrong with a request, wherever it was found. */
export interface Problem {
  /** Parameter path: `['siteUID']`, `['userInfo', 'age']`; empty for the request as a whole. */
  path: string[];
  /** JSON Schema keyword (`required`, `maxLength`, …), or `json` for unparsable JSON text. */
  keyword: string;
  /** What is wrong, without the parameter name. */
  message: string;
  /** For `required` and `dependentRequired`: the missing parameter. */
  missing?: string;
}

type AddFormats = (ajv: Ajv2020) => Ajv2020;
const addFormats: AddFormats = (addFormatsModule as unknown as { default?: AddFormats }).default ?? (addFormatsModule as unknown as AddFormats);

function createAjv(): Ajv2020 {
  const ajv = new Ajv2020({ strict: false, allErrors: true, allowUnionTypes: true, allowMatchingProperties: true });
  addFormats(ajv);
  // OpenAPI's `password` only tells tools to mask the value.
  ajv.addFormat('password', true);
  return ajv;
}

// Parameters arrive as text and are read into numbers and booleans beforehand (typedParams), strictly:
// Ajv's own coercion (which Prism uses) would also take `0x10`, `1e3` or ` 12` as integers.

const INTEGER = /^-?\d{1,15}$/;
const NUMBER = /^-?\d{1,15}(?:\.\d{1,15})?$/;

/**
 * The operation's known parameters as an object for its validator, numbers and booleans read from their
 * text when the text is exactly that (decimal digits; a boolean as the official SDKs spell it: `true`,
 * `false`, `True`, `False`, `1`, `0`); anything else stays text and fails the type check, naming the
 * parameter.
 */
export function typedParams(operation: OperationInfo, fields: ReadonlyMap<string, string>): Record<string, unknown> {
  const data: Record<string, unknown> = {};
  for (const [name, text] of fields) {
    if (!operation.knownParams.has(name)) continue;
    const type = operation.paramTypes.get(name);
    if (type === undefined) data[name] = text;
    else if (type === 'boolean') data[name] = sdkBoolean(text) ?? text;
    else data[name] = (type === 'integer' ? INTEGER : NUMBER).test(text) ? Number(text) : text;
  }
  return data;
}

/**
 * The fields with every boolean parameter in an SDK spelling rewritten as `true` or `false` (what Prism's
 * validator reads), or the same map when there is none: both validators then agree on them.
 */
export function canonicalBooleans(operation: OperationInfo, fields: Map<string, string>): Map<string, string> {
  let out: Map<string, string> | undefined;
  for (const [name, text] of fields) {
    if (operation.paramTypes.get(name) !== 'boolean' || !operation.knownParams.has(name)) continue;
    const value = sdkBoolean(text);
    if (value === undefined || String(value) === text) continue;
    out ??= new Map(fields);
    out.set(name, String(value));
  }
  return out ?? fields;
}

const ASCII_PATTERN = '^[\\x00-\\x7F]+$';

export function ajvProblems(errors: readonly ErrorObject[] | null | undefined, prefix: string[] = []): Problem[] {
  const out: Problem[] = [];
  for (const error of errors ?? []) {
    const path = [
      ...prefix,
      ...error.instancePath
        .split('/')
        .filter((p) => p !== '')
        .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~')),
    ];
    const params = error.params as Record<string, unknown>;
    if (error.keyword === 'required' || error.keyword === 'dependentRequired') {
      const missing = String(params.missingProperty);
      out.push({ path, keyword: error.keyword, missing, message: error.message ?? 'is required' });
      continue;
    }
    let message = error.message ?? 'is not valid';
    if (error.keyword === 'pattern' && params.pattern === ASCII_PATTERN) message = 'must contain ASCII characters only';
    else if (error.keyword === 'enum' && Array.isArray(params.allowedValues)) message = `must be one of: ${params.allowedValues.join(', ')}`;
    else if (error.keyword === 'additionalProperties') message = `must not have member ${String(params.additionalProperty)}`;
    out.push({ path, keyword: error.keyword, message });
  }
  return out;
}

/** Compiled checks of one operation. */
export interface OperationValidators {
  /** Validates the typed parameters (typedParams); JSON-valued fields are plain strings here. */
  params: ValidateFunction;
  /** The validator of a JSON-valued field's parsed content (compiled on first use). */
  json(name: string): ValidateFunction | undefined;
}

/**
 * Every operation's validators, each compiled on first use (compiling all of them would hold up the
 * start). The JSON fields' schemas are compiled by reference into the contract, so that a schema used
 * many times (ProviderSession, once per network) is compiled once.
 */
export class ContractValidators {
  private readonly byOperation = new Map<OperationInfo, OperationValidators>();
  private ajv: Ajv2020 | undefined;

  constructor(private readonly contract: LoadedContract) {}

  private compiler(): Ajv2020 {
    if (!this.ajv) {
      this.ajv = createAjv();
      this.ajv.addSchema({ ...this.contract.document, $id: 'contract' } as Schema);
    }
    return this.ajv;
  }

  /** The validator of a schema of the contract's components (`MockAccountList`), compiled on first use. */
  component(name: string): ValidateFunction {
    let validate = this.components.get(name);
    if (!validate) {
      validate = this.compiler().compile({ $ref: `contract#/components/schemas/${name}` });
      this.components.set(name, validate);
    }
    return validate;
  }

  private readonly components = new Map<string, ValidateFunction>();

  /** A validator of a schema that refers into the contract (`contract#/components/...`). */
  compile(schema: Schema): ValidateFunction {
    return this.compiler().compile(schema);
  }

  for(operation: OperationInfo): OperationValidators {
    let validators = this.byOperation.get(operation);
    if (!validators) {
      const ajv = this.compiler();
      const json = new Map<string, ValidateFunction>();
      validators = {
        params: ajv.compile(operation.paramSchema),
        json: (name) => {
          let validate = json.get(name);
          const pointer = operation.jsonFields.get(name);
          if (!validate && pointer !== undefined) {
            validate = ajv.compile({ $ref: `contract${pointer}` });
            json.set(name, validate);
          }
          return validate;
        },
      };
      this.byOperation.set(operation, validators);
    }
    return validators;
  }
}
