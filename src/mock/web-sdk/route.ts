// Serves the stand-in Web SDK: GET /js/gigya.js?apiKey=<key> (gigya.js in this folder, with the
// contract's Web SDK schemas appended as its configuration) and GET /js/gigya-login-done.html, the
// page a login ends on (the same script, in its landing mode). The schemas are read from the contract's
// root `x-web-sdk`, so the page is held to what the contract states; only the JSON Schema keywords the
// script's checker understands may appear, and any other makes this module refuse to start.
import { existsSync, readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { fileURLToPath } from 'node:url';
import type { Json, LoadedContract, Schema } from '../contract.js';

const WEB_SDK_SCRIPT_PATH = '/js/gigya.js';
const WEB_SDK_LANDING_PATH = '/js/gigya-login-done.html';

// Keywords that change what the script accepts, all of which it checks; annotations are dropped.
const CHECKED = new Set([
  'type',
  'enum',
  'const',
  'pattern',
  'minLength',
  'maxLength',
  'minimum',
  'maximum',
  'minItems',
  'maxItems',
  'items',
  'minProperties',
  'maxProperties',
  'properties',
  'additionalProperties',
  'required',
  'dependentRequired',
  'dependentSchemas',
  'allOf',
  'anyOf',
  'oneOf',
  'not',
  'x-web-sdk-type',
]);
// `format` (uri, email inside userInfo) is left to the REST method the call goes to, whose answer
// (400006 naming the field) reaches the callback the same way.
const ANNOTATIONS = new Set([
  'description',
  'example',
  'examples',
  'title',
  'default',
  'deprecated',
  'contentMediaType',
  'contentEncoding',
  'format',
]);
// Keywords whose value is a map of names to schemas, or a list of schemas.
const SCHEMA_MAPS = new Set(['properties', 'dependentSchemas']);
const SCHEMA_LISTS = new Set(['allOf', 'anyOf', 'oneOf']);

type Compact = { [key: string]: Json };
/** What the script gets for one method: its params schema, and each param's REST name (and value map). */
interface MethodConfig {
  schema: Compact;
  rest: Record<string, [string, Record<string, string>?]>;
}

function isObject(value: Json | undefined): value is Schema {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

const COMPONENT = '#/components/schemas/';
/** The errorCodes the script makes itself (the REST answers bring their own messages). */
const OWN_ERRORS = [200001, 400002, 400006, 403007, 500001, 504001];

/**
 * The schema with annotations dropped (a deprecated member keeps `deprecated: '<its replacement>'`), and
 * each `$ref` to a component kept as `$ref: '<Name>'`, the name added to `refs` so that each component
 * is sent once.
 */
function compactSchema(node: Json, where: string, refs: Set<string>): Json {
  if (!isObject(node)) return node;
  const out: Compact = {};
  for (const [key, value] of Object.entries(node)) {
    // Vendor extensions (x-rest-parameter, x-uncertain, …) annotate; JSON Schema ignores them too.
    if (ANNOTATIONS.has(key) || key.startsWith('x-')) continue;
    if (key === '$ref' && typeof value === 'string' && value.startsWith(COMPONENT)) {
      out.$ref = value.slice(COMPONENT.length);
      refs.add(out.$ref);
    } else if (!CHECKED.has(key)) {
      throw new Error(`web-sdk: ${where} uses ${key}, which the stand-in gigya.js does not check; teach its checker first`);
    } else if (SCHEMA_MAPS.has(key) && isObject(value)) {
      out[key] = Object.fromEntries(Object.entries(value).map(([name, s]) => [name, compactSchema(s, `${where}.${name}`, refs)]));
    } else if (SCHEMA_LISTS.has(key) && Array.isArray(value)) {
      out[key] = value.map((s, i) => compactSchema(s, `${where}.${key}[${i}]`, refs));
    } else if (key === 'items' || key === 'not' || (key === 'additionalProperties' && isObject(value))) {
      out[key] = compactSchema(value, `${where}.${key}`, refs);
    } else {
      out[key] = value;
    }
  }
  if (node.deprecated === true) {
    const replacement = /Use `([^`]+)`/.exec(String(node.description ?? ''));
    out.deprecated = replacement ? `\`${replacement[1]}\`` : 'its replacement';
  }
  return out;
}

function component(document: Schema, name: string): Json {
  const schemas = isObject(document.components) ? document.components.schemas : undefined;
  const found = isObject(schemas) ? schemas[name] : undefined;
  if (found === undefined) throw new Error(`web-sdk: no component ${name} in the contract`);
  return found;
}

function methodConfig(document: Schema, method: string, entry: Json, refs: Set<string>): MethodConfig {
  const ref = isObject(entry) && isObject(entry.params) ? entry.params.$ref : undefined;
  const params = typeof ref === 'string' && ref.startsWith(COMPONENT) ? component(document, ref.slice(COMPONENT.length)) : null;
  if (!isObject(params) || !isObject(params.properties)) throw new Error(`web-sdk: x-web-sdk.${method}.params is not a component's object schema`);
  const rest: MethodConfig['rest'] = {};
  for (const [name, member] of Object.entries(params.properties)) {
    if (!isObject(member) || typeof member['x-rest-parameter'] !== 'string') continue;
    const values = member['x-rest-values'];
    rest[name] = isObject(values) ? [member['x-rest-parameter'], values as Record<string, string>] : [member['x-rest-parameter']];
  }
  return { schema: compactSchema(params, method, refs) as Compact, rest };
}

/** The script's configuration from the contract: per method its schema and REST mapping; the components they use; error messages. */
function webSdkConfig(contract: LoadedContract): {
  methods: Record<string, MethodConfig>;
  defs: Record<string, Json>;
  messages: Record<number, string>;
} {
  const sdk = contract.document['x-web-sdk'];
  if (!isObject(sdk)) throw new Error('web-sdk: the contract has no x-web-sdk at its root');
  const refs = new Set<string>();
  const methods: Record<string, MethodConfig> = {};
  for (const [method, entry] of Object.entries(sdk)) methods[method] = methodConfig(contract.document, method, entry, refs);
  const defs: Record<string, Json> = {};
  for (const name of refs) defs[name] = compactSchema(component(contract.document, name), name, refs); // refs grows as it is walked
  const messages = Object.fromEntries(OWN_ERRORS.map((code) => [code, contract.errorMessages.get(code) ?? 'Error']));
  return { methods, defs, messages };
}

const HOST = /^[a-z0-9.-]{1,253}$/;
const IDENTITY = /^[A-Za-z0-9_.-]{1,64}$/;
const LANDING_HTML = `<!doctype html>
<html lang="en"><meta charset="utf-8"><title>Login – Gigya mock</title>
<p id="status" role="status">Finishing the login…</p>
<script src="${WEB_SDK_SCRIPT_PATH}?mockLanding=1"></script>
</html>
`;

/** gigya.js is served as written, not compiled: the build copies it beside this module (scripts/build.mjs). */
function scriptPath(): string {
  const path = fileURLToPath(new URL('./gigya.js', import.meta.url));
  if (!existsSync(path)) throw new Error(`web-sdk: ${path} is missing; the build copies src/mock/web-sdk/gigya.js there`);
  return path;
}

/**
 * The script as sent: whole-line comments and indentation dropped (it has no multi-line strings, so
 * this changes no meaning), the header comment kept so that a reader of the file sees what it is.
 */
function servedSource(text: string): string {
  const end = text.indexOf('*/') + 2;
  const body = text
    .slice(end)
    .replace(/^[ \t]*\/\/.*\n/gm, '')
    .replace(/^[ \t]+/gm, '');
  return `${text.slice(0, end)}${body}`.replace(/\s*$/, '');
}

function scriptError(message: string): string {
  return `console.error(${JSON.stringify(`[gigya.js mock] ${message}`)});\n`;
}

export type WebSdkRoute = (req: IncomingMessage, res: ServerResponse, path: string, query: string) => string | undefined;

/** What the script URL chooses: the site, and the mock-only host allowance and test identity. */
export interface WebSdkScriptOptions {
  apiKey: string;
  /** A host name, besides loopback, .localhost and .test, where the script agrees to run. */
  allowHost?: string | null;
  /** `mock_identity` for logins: `choose` (the identity page, the default) or a test identity's name. */
  identity?: string;
}

/** A function that writes the stand-in script for a site, its configuration read once from the contract. */
export function webSdkScript(contract: LoadedContract): (options: WebSdkScriptOptions) => string {
  const source = servedSource(readFileSync(scriptPath(), 'utf8'));
  const { methods, defs, messages } = webSdkConfig(contract);
  return ({ apiKey, allowHost = null, identity = 'choose' }) => {
    const config = { apiKey, allowHost, identity, methods, defs, messages };
    // The configuration is JSON inside a script: keep `<` out so that it can never close a script element.
    return `${source}(${JSON.stringify(config).replace(/</g, '\\u003c')});\n`;
  };
}

/**
 * The Web SDK routes: a function that answers GET/HEAD of its two paths (resolving to the outcome for the
 * log), or returns undefined for every other request.
 */
export function createWebSdkRoute(contract: LoadedContract): WebSdkRoute {
  const source = servedSource(readFileSync(scriptPath(), 'utf8'));
  const script = webSdkScript(contract);
  const send = (res: ServerResponse, status: number, type: string, body: string) => {
    res.writeHead(status, {
      'content-type': `${type}; charset=utf-8`,
      'content-length': String(Buffer.byteLength(body)),
      'cache-control': 'no-store',
    });
    res.end(res.req.method === 'HEAD' ? undefined : body);
    return String(status);
  };
  return (req, res, path, query) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return undefined;
    if (path === WEB_SDK_LANDING_PATH) return send(res, 200, 'text/html', LANDING_HTML);
    if (path !== WEB_SDK_SCRIPT_PATH) return undefined;
    const params = new URLSearchParams(query);
    if (params.get('mockLanding') === '1') return send(res, 200, 'text/javascript', `${source}({"landing":true});\n`);
    const apiKey = params.get('apiKey');
    if (apiKey === null || !/^[\x21-\x7E]{1,200}$/.test(apiKey)) {
      return send(res, 400, 'text/javascript', scriptError("apiKey: give the site's API key in the script URL, /js/gigya.js?apiKey=<key>"));
    }
    const allowHost = params.get('mockAllowHost');
    if (allowHost !== null && !HOST.test(allowHost)) return send(res, 400, 'text/javascript', scriptError('mockAllowHost: must be a host name'));
    const identity = params.get('mockIdentity') ?? 'choose';
    if (!IDENTITY.test(identity)) return send(res, 400, 'text/javascript', scriptError('mockIdentity: 1 to 64 letters, digits, _ . or -'));
    return send(res, 200, 'text/javascript', script({ apiKey, allowHost, identity }));
  };
}
