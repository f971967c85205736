// The one place where a parameters object becomes form fields. The client's request body and the
// request signature are both built from `formFields`, so what is signed is exactly what is sent.
//
// Encoding rules (what the socialize service expects, and what Gigya's own SDKs send):
// - `undefined` and `null` are left out. Gigya's SDKs disagree here (`"null"`, `""` or omitted), and an
//   omitted field is the only form every server version reads as "not given".
// - booleans are sent as the words `true` / `false` (not `1`/`0`, not `True`).
// - numbers and bigints are sent in plain decimal notation, never with an exponent (`1e21` is sent as
//   `1000000000000000000000`); NaN and ±Infinity are refused.
// - strings are sent as they are; objects and arrays as JSON text (`userInfo={"firstName":"Ann"}`).
// - everything is UTF-8, percent-encoded as URLSearchParams does; a string holding a lone UTF-16 surrogate,
//   which has no UTF-8 form, is refused rather than silently replaced by U+FFFD.
// Errors (InvalidParameterError, a TypeError) name the parameter but never repeat its value, since values
// can be secrets.
import { InvalidParameterError } from './errors.js';

/** A value the form encoder accepts for one parameter. */
export type FormValue = string | number | bigint | boolean | null | undefined | object;

// Written without look-behind so that older Safari parses it.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?:^|[^\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** True when `value` has a UTF-8 form (no lone UTF-16 surrogate). */
export function isWellFormedUtf16(value: string): boolean {
  // Most text has no surrogate at all, which a loop finds without running the regular expression.
  for (let i = 0; i < value.length; i++) if ((value.charCodeAt(i) & 0xf800) === 0xd800) return !LONE_SURROGATE.test(value);
  return true;
}

/** The ASCII letters, digits and `extra`, as a table for `onlyFrom` (internal). */
export function asciiSet(extra: string): Uint8Array {
  const set = new Uint8Array(128);
  for (const c of `ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789${extra}`) set[c.charCodeAt(0)] = 1;
  return set;
}

/**
 * True when every character of `text` is in `set` (internal). A loop over a table rather than a regular
 * expression: a call runs a few dozen of these tests, each right after a wait for the network, when
 * entering the regular expression engine costs it far more than in a loop (docs/DECISIONS.md item 29).
 */
export function onlyFrom(text: string, set: Uint8Array): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code > 0x7f || set[code] === 0) return false;
  }
  return true;
}

/** Writes a finite number in plain decimal notation (shortest round-trip digits, no exponent). */
export function decimalString(value: number): string {
  const text = String(value);
  const e = text.indexOf('e');
  if (e === -1) return text;
  // String() switches to exponent form below 1e-6 and from 1e21; move the point by hand so the digits
  // stay the shortest round-trip ones.
  let mantissa = text.slice(0, e);
  const exponent = Number(text.slice(e + 1));
  let sign = '';
  if (mantissa.startsWith('-')) {
    sign = '-';
    mantissa = mantissa.slice(1);
  }
  const dot = mantissa.indexOf('.');
  const whole = dot === -1 ? mantissa : mantissa.slice(0, dot);
  const digits = dot === -1 ? mantissa : whole + mantissa.slice(dot + 1);
  const point = whole.length + exponent;
  if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${digits}`;
  if (point >= digits.length) return sign + digits + '0'.repeat(point - digits.length);
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}

/** Encodes one parameter value as form text, or returns `undefined` when the field is to be left out. */
export function formValue(name: string, value: unknown): string | undefined {
  switch (typeof value) {
    case 'undefined':
      return undefined;
    case 'string':
      if (!isWellFormedUtf16(value)) {
        throw new InvalidParameterError(name, 'holds a lone UTF-16 surrogate, which has no UTF-8 form.');
      }
      return value;
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) throw new InvalidParameterError(name, 'must be a finite number.');
      return decimalString(value);
    case 'bigint':
      return value.toString();
    case 'object': {
      if (value === null) return undefined;
      if (value instanceof Date) {
        throw new InvalidParameterError(name, 'is a Date; pass a string or Unix seconds.');
      }
      let json: string | undefined;
      try {
        json = JSON.stringify(value);
      } catch (cause) {
        throw new InvalidParameterError(name, 'cannot be written as JSON (cyclic, or holds a bigint).', { cause });
      }
      if (json === undefined || !isWellFormedUtf16(json)) {
        throw new InvalidParameterError(name, 'cannot be written as UTF-8 JSON text.');
      }
      return json;
    }
    default:
      throw new InvalidParameterError(name, `is a ${typeof value}, which a form cannot carry.`);
  }
}

/** Turns a parameters object into `[name, text]` form fields, in the object's key order (rules above). */
export function formFields(params: Readonly<Record<string, unknown>>): Array<[string, string]> {
  if (params === null || typeof params !== 'object' || Array.isArray(params)) {
    throw new InvalidParameterError('params', 'must be a plain object.');
  }
  const fields: Array<[string, string]> = [];
  for (const name of Object.keys(params)) {
    const text = formValue(name, params[name]);
    if (text !== undefined) fields.push([name, text]);
  }
  return fields;
}

/** Encodes a parameters object as an `application/x-www-form-urlencoded` body (UTF-8). */
export function formBody(params: Readonly<Record<string, unknown>>): string {
  return encodeForm(formFields(params));
}

// What URLSearchParams leaves as it is: ASCII letters and digits, `*`, `-`, `.` and `_`.
const FORM_SAFE = /* @__PURE__ */ asciiSet('*-._');
// What encodeURIComponent leaves or writes otherwise than URLSearchParams: a space is `+`, and `! ' ( ) ~` are escaped.
const NOT_AS_FORM = /%20|[!'()~]/g;
const asForm = (match: string) => (match === '%20' ? '+' : `%${match.charCodeAt(0).toString(16).toUpperCase()}`);

// How the form writes each ASCII character that it does not leave as it is (a space as `+`).
const FORM_ESCAPES = /* @__PURE__ */ Array.from({ length: 128 }, (_, code) =>
  code === 0x20 ? '+' : `%${code < 16 ? '0' : ''}${code.toString(16).toUpperCase()}`,
);

// ASCII text (keys, IDs, Base64 secrets and signatures, most JSON) is escaped from a table in one loop:
// after a wait for the network, entering encodeURIComponent and the regular expression engine costs a
// call far more than this loop (docs/DECISIONS.md item 29). Other text takes the general path.
function encodeFormText(text: string): string {
  let out = '';
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code > 0x7f) return encodeURIComponent(text).replace(NOT_AS_FORM, asForm);
    if (FORM_SAFE[code] === 1) continue;
    out += text.slice(from, i) + FORM_ESCAPES[code];
    from = i + 1;
  }
  return from === 0 ? text : out + text.slice(from);
}

/**
 * Writes form fields (from formFields: no lone surrogates) as the body URLSearchParams would write, byte
 * for byte: UTF-8, percent-encoded, a space as `+` (internal). Written out rather than through
 * URLSearchParams, whose construction cost a client call several microseconds more (docs/DECISIONS.md item 29).
 */
export function encodeForm(fields: ReadonlyArray<readonly [string, string]>): string {
  let body = '';
  for (let i = 0; i < fields.length; i++) body += `${i ? '&' : ''}${encodeFormText(fields[i]![0])}=${encodeFormText(fields[i]![1])}`;
  return body;
}
