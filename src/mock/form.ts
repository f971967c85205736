// Reads form-urlencoded text (a request body or a query string) strictly: UTF-8 only, percent-encoding
// well formed, each name at most once. Whatever is wrong is reported with the name of the field, so that
// the answer can say which parameter to fix; values are never repeated (they may be secrets).

/**
 * Parameters one form text (a query string or a body) may hold. The contract's methods know about 30 names
 * each; the cap leaves room for unknown ones (listed in ignoredParams) and stops a request with a hundred
 * thousand names from costing the mock seconds and megabytes.
 */
export const PARAMETER_LIMIT = 200;
/** How deep a JSON-valued field (userInfo, providerSessions) may nest; the contract's shapes need 3 levels. */
export const JSON_DEPTH_LIMIT = 32;

/** A form field that cannot be read, and why. */
export interface FormFault {
  /** The field's name as far as it could be read. */
  name: string;
  /** 400004 for text that cannot be decoded, 400006 for a repeated name, 400001 for too many names. */
  errorCode: 400001 | 400004 | 400006;
  detail: string;
}

export type FormResult = { fields: Map<string, string> } | { fault: FormFault };

const utf8 = new TextDecoder('utf-8', { fatal: true });
const lenient = new TextDecoder('utf-8');

function decodeComponent(text: string): string | undefined {
  const spaced = text.includes('+') ? text.replace(/\+/g, ' ') : text;
  if (!spaced.includes('%')) return spaced;
  try {
    return decodeURIComponent(spaced);
  } catch {
    return undefined;
  }
}

// A printable version of a name that could not be decoded, for the error message.
function nameOf(raw: string): string {
  const printable = raw.replace(/%[0-9A-Fa-f]{2}/g, (hex) => (/^%[2-7][0-9A-Fa-f]$/.test(hex) ? decodeURIComponent(hex) : '?'));
  return printable.replace(/[^\x20-\x7E]/g, '?').slice(0, 100) || '(unnamed)';
}

/** Parses form text (already known to be UTF-8); more than PARAMETER_LIMIT names is a fault. */
export function parseFormText(text: string): FormResult {
  const fields = new Map<string, string>();
  let pairs = 0;
  // Pair by pair (not text.split): a text with too many names is refused before it is all cut up.
  for (let start = 0; start < text.length; ) {
    let end = text.indexOf('&', start);
    if (end === -1) end = text.length;
    const pair = text.slice(start, end);
    start = end + 1;
    if (pair.length === 0) continue;
    if (++pairs > PARAMETER_LIMIT) {
      return { fault: { name: 'request', errorCode: 400001, detail: `more than ${PARAMETER_LIMIT} parameters` } };
    }
    const fault = addPair(fields, pair);
    if (fault) return { fault };
  }
  return { fields };
}

function addPair(fields: Map<string, string>, pair: string): FormFault | undefined {
  const eq = pair.indexOf('=');
  const rawName = eq === -1 ? pair : pair.slice(0, eq);
  const rawValue = eq === -1 ? '' : pair.slice(eq + 1);
  const name = decodeComponent(rawName);
  if (name === undefined) return { name: nameOf(rawName), errorCode: 400004, detail: 'the parameter name has malformed percent-encoding' };
  if (name.length === 0) return undefined;
  const value = decodeComponent(rawValue);
  if (value === undefined) return { name, errorCode: 400004, detail: 'malformed percent-encoding (each % must start a UTF-8 byte as %XX)' };
  if (fields.has(name)) return { name, errorCode: 400006, detail: 'given more than once' };
  fields.set(name, value);
  return undefined;
}

/**
 * Whether JSON text nests arrays and objects deeper than `limit`, found without recursion (brackets inside
 * strings do not count). Checked before JSON.parse, so that nothing recursive ever sees a deeper value.
 */
export function jsonDepthExceeds(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x7b || c === 0x5b) {
      if (++depth > limit) return true;
    } else if (c === 0x7d || c === 0x5d) {
      depth--;
    }
  }
  return false;
}

/** Decodes a body as UTF-8; on failure, names the first field whose bytes are not UTF-8. */
export function decodeBody(body: Buffer): { text: string } | { fault: FormFault } {
  try {
    return { text: utf8.decode(body) };
  } catch {
    let start = 0;
    while (start <= body.length) {
      let end = body.indexOf(0x26, start);
      if (end === -1) end = body.length;
      const segment = body.subarray(start, end);
      try {
        utf8.decode(segment);
      } catch {
        const eq = segment.indexOf(0x3d);
        const rawName = lenient.decode(eq === -1 ? segment : segment.subarray(0, eq));
        return { fault: { name: nameOf(rawName), errorCode: 400004, detail: 'not valid UTF-8' } };
      }
      start = end + 1;
    }
    return { fault: { name: '(body)', errorCode: 400004, detail: 'not valid UTF-8' } };
  }
}
