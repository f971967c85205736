// Reads form-urlencoded text (a request body or a query string) strictly: UTF-8 only, percent-encoding
// well formed, each name at most once. Whatever is wrong is reported with the name of the field, so that
// the answer can say which parameter to fix; values are never repeated (they may be secrets).

/** A form field that cannot be read, and why. */
export interface FormFault {
  /** The field's name as far as it could be read. */
  name: string;
  /** 400004 for text that cannot be decoded, 400006 for a repeated name. */
  errorCode: 400004 | 400006;
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

/** Parses form text (already known to be UTF-8). */
export function parseFormText(text: string): FormResult {
  const fields = new Map<string, string>();
  if (text.length === 0) return { fields };
  for (const pair of text.split('&')) {
    if (pair.length === 0) continue;
    const eq = pair.indexOf('=');
    const rawName = eq === -1 ? pair : pair.slice(0, eq);
    const rawValue = eq === -1 ? '' : pair.slice(eq + 1);
    const name = decodeComponent(rawName);
    if (name === undefined) {
      return { fault: { name: nameOf(rawName), errorCode: 400004, detail: 'the parameter name has malformed percent-encoding' } };
    }
    if (name.length === 0) continue;
    const value = decodeComponent(rawValue);
    if (value === undefined) {
      return { fault: { name, errorCode: 400004, detail: 'malformed percent-encoding (each % must start a UTF-8 byte as %XX)' } };
    }
    if (fields.has(name)) return { fault: { name, errorCode: 400006, detail: 'given more than once' } };
    fields.set(name, value);
  }
  return { fields };
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
