// Reads the bundled contract (generated/openapi.yaml) and answers questions about it: which members a
// schema has once allOf/oneOf are merged, and whether a value validates against a schema (Ajv, JSON Schema
// 2020-12, the dialect of OpenAPI 3.1).
import { readFileSync } from 'node:fs';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { parse } from 'yaml';
import { deref as derefIn, pointerOf } from '../../src/mock/json-pointer.mjs';

export type Schema = Record<string, any>;

export const contract: Schema = parse(readFileSync(new URL('../../generated/openapi.yaml', import.meta.url), 'utf8'));

/** Where the mock's own controls live (the contract's "Mock controls" tag); Gigya has no such paths. */
export const CONTROLS_PATH = '/__mock/';

/** The contract's paths of Gigya's methods, without the mock's controls. */
export const gigyaPaths: Schema = Object.fromEntries(Object.entries(contract.paths).filter(([path]) => !path.startsWith(CONTROLS_PATH)));

/** Follows a `$ref` chain in the bundled contract, the reference's siblings kept (src/mock/json-pointer.mjs). */
export const deref = (schema: Schema): Schema => derefIn<Schema>(contract, schema);

export { pointerOf };

export type Member = { schema: Schema; required: boolean };

/** Every property a schema can carry, merged over allOf and over the branches of oneOf/anyOf. */
export function members(schema: Schema): Map<string, Member> {
  const out = new Map<string, Member>();
  const visit = (node: Schema, requiredHere: boolean) => {
    const s = deref(node);
    for (const [name, prop] of Object.entries<Schema>(s.properties ?? {})) {
      const previous = out.get(name);
      const merged = previous ? { ...deref(prop), ...previous.schema } : deref(prop);
      out.set(name, {
        schema: merged,
        required: (previous?.required ?? false) || (requiredHere && (s.required ?? []).includes(name)),
      });
    }
    for (const name of s.required ?? []) {
      const member = out.get(name);
      if (member && requiredHere) member.required = true;
    }
    for (const part of s.allOf ?? []) visit(part, requiredHere);
    for (const part of [...(s.oneOf ?? []), ...(s.anyOf ?? [])]) visit(part, false);
  };
  visit(schema, true);
  return out;
}

export function operation(path: string, method = 'post'): Schema {
  const op = contract.paths?.[path]?.[method];
  if (!op) throw new Error(`no ${method.toUpperCase()} ${path} in the contract`);
  return op;
}

export function requestSchema(path: string): Schema {
  return operation(path).requestBody.content['application/x-www-form-urlencoded'].schema;
}

export function okResponseSchema(path: string, method = 'post'): Schema {
  return operation(path, method).responses['200'].content['application/json'].schema;
}

const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true });
(addFormatsModule as unknown as { default: (a: Ajv2020) => void }).default?.(ajv) ?? (addFormatsModule as unknown as (a: Ajv2020) => void)(ajv);
ajv.addSchema({ ...contract, $id: 'contract' });
const compiled = new Map<string, ValidateFunction>();

/** Validates a value against the schema at a JSON pointer of the bundled contract. */
export function validatorAt(pointer: string): ValidateFunction {
  let validate = compiled.get(pointer);
  if (!validate) {
    validate = ajv.compile({ $ref: `contract#${pointer}` });
    compiled.set(pointer, validate);
  }
  return validate;
}

export function requestValidator(path: string): ValidateFunction {
  return validatorAt(pointerOf('paths', path, 'post', 'requestBody', 'content', 'application/x-www-form-urlencoded', 'schema'));
}
