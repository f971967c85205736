// Reads the bundled contract once and derives what the mock needs from it: per operation, its request
// schema (references inlined), the JSON-valued form fields (from the Encoding Object) with their real
// schemas, the parameter names it knows, its named 200 examples; the error messages of the ErrorCode
// catalogue; and the copy of the document handed to Prism, in which the JSON-valued fields are plain
// strings (Prism ignores `encoding.contentType` and would refuse them, stoplightio/prism#1622).
import { readFileSync } from 'node:fs';
import { escapeKey, inlineRefs, refTarget, resolvePointer } from './json-pointer.mjs';
import { parseYaml } from './one-byte.js';

// The contract is plain JSON data once parsed.
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type Schema = { [key: string]: Json };

export const FORM = 'application/x-www-form-urlencoded';
/** Where the contract's mock-only controls live. */
const CONTROLS_PATH = '/__mock/';

/** What the mock knows about one operation of the contract. */
export interface OperationInfo {
  operationId: string;
  /** `post` for the form methods, `get` for socialize.login. */
  method: 'get' | 'post';
  path: string;
  /** The form schema with every `$ref` inlined (form operations only). */
  requestSchema?: Schema;
  /** The same with each JSON-valued field turned into a plain string: what Prism and the form check see. */
  relaxedSchema?: Schema;
  /**
   * The schema the mock checks the parameters against: the relaxed form schema, or for a GET an object
   * schema made of its query parameters.
   */
  paramSchema: Schema;
  /** Parameters whose text must be read as a number or boolean, with that type. */
  paramTypes: Map<string, 'integer' | 'number' | 'boolean'>;
  /**
   * JSON-valued form fields, each with the JSON pointer (in the contract) of the schema its parsed value
   * must satisfy.
   */
  jsonFields: Map<string, string>;
  /** Every parameter name the operation declares (form fields or query parameters). */
  knownParams: Set<string>;
  /** Required parameters, in the contract's order (top level of the request schema). */
  requiredParams: string[];
  /** Parameters of which one is required (named in the `required` of oneOf/anyOf branches), in the contract's order. */
  alternatives: string[];
  /** Named examples of the 200 answer, with their values. */
  examples: Map<string, Record<string, unknown>>;
}

export interface LoadedContract {
  /** The file as read, served at /openapi.yaml. */
  text: string;
  document: Schema;
  /** Operations by path. */
  operations: Map<string, OperationInfo>;
  /** The document Prism reads: JSON-valued fields relaxed to strings, no callbacks. */
  prismDocument: Schema;
  /** errorMessage per errorCode, from the ErrorCode schema's `x-errorMessages`. */
  errorMessages: Map<number, string>;
  /** The default test site's starting accounts: the `testSite` example of `/__mock/listAccounts`. */
  testSiteAccounts: unknown[];
}

function testSiteAccounts(document: Schema): unknown[] {
  const at = resolvePointer(document, '#/paths/~1__mock~1listAccounts/post/responses/200/content/application~1json/examples/testSite/value/accounts');
  return Array.isArray(at) ? at : [];
}

function isObject(value: unknown): value is Schema {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Deep copy of `node` with every local `$ref` replaced by (a copy of) its target, siblings kept. */
const inline = (document: Schema, node: Json): Json => inlineRefs<Json>(document, node);

const COMBINATORS = ['allOf', 'oneOf', 'anyOf'] as const;

// Calls `visit` on the schema and on every schema it combines (allOf/oneOf/anyOf/not), not on property schemas.
function eachCombined(schema: Schema, visit: (s: Schema) => void): void {
  visit(schema);
  for (const key of COMBINATORS) {
    const list = schema[key];
    if (Array.isArray(list)) for (const part of list) if (isObject(part)) eachCombined(part, visit);
  }
  if (isObject(schema.not)) eachCombined(schema.not, visit);
}

// The JSON pointer of property `name`'s schema, from the shallowest `properties` that declares it,
// following references from the schema at `start`.
function propertyPointer(document: Schema, start: string, name: string): string | undefined {
  let level: string[] = [start];
  while (level.length > 0) {
    const next: string[] = [];
    for (const from of level) {
      const { pointer: at, node } = refTarget(document, from);
      if (!isObject(node)) continue;
      if (isObject(node.properties) && isObject(node.properties[name])) return `${at}/properties/${escapeKey(name)}`;
      for (const key of COMBINATORS) {
        const list = node[key];
        if (Array.isArray(list)) for (const i of list.keys()) next.push(`${at}/${key}/${i}`);
      }
      if (isObject(node.not)) next.push(`${at}/not`);
    }
    level = next;
  }
  return undefined;
}

// Copy of `schema` in which every declaration of a field in `fields` becomes a plain string.
function relax(schema: Json, fields: Set<string>): Json {
  if (Array.isArray(schema)) return schema.map((item) => relax(item, fields));
  if (!isObject(schema)) return schema;
  const out: Schema = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'properties' && isObject(value)) {
      const props: Schema = {};
      for (const [name, prop] of Object.entries(value)) {
        props[name] = fields.has(name) ? { type: 'string', description: 'JSON text, checked by the mock itself.' } : relax(prop, fields);
      }
      out[key] = props;
    } else {
      out[key] = relax(value, fields);
    }
  }
  return out;
}

function examplesOf(document: Schema, operation: Schema): Map<string, Record<string, unknown>> {
  const out = new Map<string, Record<string, unknown>>();
  const responses = operation.responses;
  const ok = isObject(responses) ? responses['200'] : undefined;
  const content = isObject(ok) && isObject(ok.content) ? ok.content['application/json'] : undefined;
  const examples = isObject(content) ? content.examples : undefined;
  if (!isObject(examples)) return out;
  for (const [name, example] of Object.entries(examples)) {
    const resolved = inline(document, example);
    if (isObject(resolved) && isObject(resolved.value)) out.set(name, resolved.value as Record<string, unknown>);
  }
  return out;
}

// The names of the fields the Encoding Object marks as JSON, each with the pointer of its schema.
function jsonFieldsOf(document: Schema, form: Schema, formPointer: string, operationId: string): Map<string, string> {
  const encoding = isObject(form.encoding) ? form.encoding : {};
  const out = new Map<string, string>();
  for (const [name, enc] of Object.entries(encoding)) {
    if (!isObject(enc) || typeof enc.contentType !== 'string' || !/^application\/json\b/i.test(enc.contentType)) continue;
    const at = propertyPointer(document, formPointer, name);
    if (at === undefined) throw new Error(`contract: ${operationId} names ${name} in its encoding but has no such field`);
    out.set(name, at);
  }
  return out;
}

// Parameters of which one is required (named in the `required` of oneOf/anyOf branches).
function alternativesOf(requestSchema: Schema): Set<string> {
  const alternatives = new Set<string>();
  eachCombined(requestSchema, (s) => {
    for (const key of ['oneOf', 'anyOf'] as const) {
      const branches = s[key];
      if (!Array.isArray(branches)) continue;
      for (const branch of branches) {
        if (isObject(branch) && Array.isArray(branch.required)) {
          for (const name of branch.required) if (typeof name === 'string') alternatives.add(name);
        }
      }
    }
  });
  return alternatives;
}

// A form operation's body: its schema, JSON fields, known, required and alternative parameters; and
// Prism's copy of it, relaxed.
function readFormBody(document: Schema, info: OperationInfo, operation: Schema, prismOperation: Schema): void {
  const body = operation.requestBody;
  const form = isObject(body) && isObject(body.content) ? body.content[FORM] : undefined;
  if (!isObject(form) || form.schema === undefined) return;
  const requestSchema = inline(document, form.schema) as Schema;
  const formPointer = `#/paths/${escapeKey(info.path)}/${info.method}/requestBody/content/${escapeKey(FORM)}/schema`;
  info.jsonFields = jsonFieldsOf(document, form, formPointer, info.operationId);
  const fields = new Set(info.jsonFields.keys());
  eachCombined(requestSchema, (s) => {
    if (isObject(s.properties)) for (const name of Object.keys(s.properties)) info.knownParams.add(name);
  });
  for (const part of [requestSchema, ...(Array.isArray(requestSchema.allOf) ? requestSchema.allOf : [])]) {
    if (isObject(part) && Array.isArray(part.required)) {
      for (const name of part.required) if (typeof name === 'string') info.requiredParams.push(name);
    }
  }
  const alternatives = alternativesOf(requestSchema);
  info.alternatives = [...info.knownParams].filter((name) => alternatives.has(name));
  info.requestSchema = requestSchema;
  info.relaxedSchema = relax(requestSchema, fields) as Schema;
  // Prism's copy: relaxed schema, and no Encoding Object entry for those fields (Prism would refuse
  // reserved characters in them, which JSON text is full of).
  const prismForm = ((prismOperation.requestBody as Schema).content as Schema)[FORM] as Schema;
  prismForm.schema = info.relaxedSchema;
  if (isObject(prismForm.encoding)) {
    for (const name of fields) delete prismForm.encoding[name];
    if (Object.keys(prismForm.encoding).length === 0) delete prismForm.encoding;
  }
}

// A GET operation's query parameters, as one object schema.
function readQuery(document: Schema, info: OperationInfo, operation: Schema): void {
  const parameters = operation.parameters;
  if (!Array.isArray(parameters)) return;
  const properties: Schema = {};
  for (const parameter of parameters) {
    const p = inline(document, parameter);
    if (isObject(p) && typeof p.name === 'string' && p.in === 'query') {
      info.knownParams.add(p.name);
      if (p.required === true) info.requiredParams.push(p.name);
      properties[p.name] = isObject(p.schema) ? p.schema : {};
    }
  }
  info.paramSchema = { type: 'object', properties, required: info.requiredParams };
}

function operationInfo(document: Schema, path: string, method: 'get' | 'post', operation: Schema, prismOperation: Schema): OperationInfo {
  const info: OperationInfo = {
    operationId: operation.operationId as string,
    method,
    path,
    jsonFields: new Map(),
    knownParams: new Set(),
    requiredParams: [],
    alternatives: [],
    paramSchema: { type: 'object' },
    paramTypes: new Map(),
    examples: examplesOf(document, operation),
  };
  readFormBody(document, info, operation, prismOperation);
  readQuery(document, info, operation);
  if (info.relaxedSchema) info.paramSchema = info.relaxedSchema;
  eachCombined(info.paramSchema, (s) => {
    if (!isObject(s.properties)) return;
    for (const [name, prop] of Object.entries(s.properties)) {
      const type = isObject(prop) ? prop.type : undefined;
      if (type === 'integer' || type === 'number' || type === 'boolean') info.paramTypes.set(name, type);
    }
  });
  return info;
}

/** Analyses a parsed contract (the bundled single file). */
function analyseContract(text: string, document: Schema): LoadedContract {
  const paths = document.paths;
  if (!isObject(paths)) throw new Error('contract: no paths');
  const prismDocument = structuredClone(document);
  const prismPaths = prismDocument.paths as Schema;
  const operations = new Map<string, OperationInfo>();
  for (const [path, item] of Object.entries(paths)) {
    // The mock's own controls are answered by the mock alone (controls.ts), never as API methods.
    if (!isObject(item) || path.startsWith(CONTROLS_PATH)) continue;
    for (const method of ['get', 'post'] as const) {
      const operation = item[method];
      if (!isObject(operation) || typeof operation.operationId !== 'string') continue;
      const prismOperation = (prismPaths[path] as Schema)[method] as Schema;
      // Prism would call a callback URL (the login result at redirect_uri) after answering: never wanted here.
      delete prismOperation.callbacks;
      operations.set(path, operationInfo(document, path, method, operation, prismOperation));
    }
  }

  const errorMessages = new Map<number, string>();
  const schemas = isObject(document.components) ? document.components.schemas : undefined;
  const errorCode = isObject(schemas) ? schemas.ErrorCode : undefined;
  const messages = isObject(errorCode) ? errorCode['x-errorMessages'] : undefined;
  if (!isObject(messages)) throw new Error('contract: components.schemas.ErrorCode has no x-errorMessages');
  for (const [code, message] of Object.entries(messages)) {
    if (typeof message === 'string') errorMessages.set(Number(code), message);
  }
  return { text, document, operations, prismDocument, errorMessages, testSiteAccounts: testSiteAccounts(document) };
}

/** Reads and analyses the bundled contract file. */
export function loadContract(file: string): LoadedContract {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (cause) {
    throw new Error(`contract: cannot read ${file}`, { cause });
  }
  // Its ASCII names and strings in one byte each, and so the answers built with them (one-byte.ts).
  const document = parseYaml(text);
  if (!isObject(document) || typeof document.openapi !== 'string') throw new Error(`contract: ${file} is not an OpenAPI document`);
  return analyseContract(text, document as Schema);
}
