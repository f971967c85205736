// The contract parsed so that its ASCII strings are held in one byte per character (docs/DECISIONS.md
// item 30). V8 holds a text with one character beyond Latin-1 (the contract's "→" in a description) in two
// bytes per character, and the YAML parser's names and values are cut from it: two-byte too. Names are
// shared across the process (interned), so the contract's `apiVersion`, `provider`, `nickname`… made the
// mock's own answer members two-byte as well, and one two-byte string makes JSON.stringify build the whole
// answer in two bytes per character, which the byte count and the socket write then convert back: about
// a third of the mock's CPU time per request. (JSON.parse needs none of this: V8 makes its strings one-byte
// wherever their characters allow, whatever the text; the fixtures and state files are JSON.)
// So the non-ASCII characters are taken out before parsing and put back into the strings that had them.
import { parse } from 'yaml';

const NON_ASCII = /[\u0080-\u{10FFFF}]/u;

/** The same characters, held in one byte each (the text must be ASCII). */
const oneByte = (ascii: string): string => Buffer.from(ascii, 'latin1').toString('latin1');

/**
 * A placeholder prefix that does not occur in `text`. It starts with the only `Z` it holds, so that two
 * occurrences cannot overlap and the text next to one cannot complete another; and since a YAML scalar
 * that starts with `Z` is never a number, boolean or null, a placeholder resolves as a string wherever the
 * character it stands for did (YAML's own types are spelled in ASCII only).
 */
function placeholderPrefix(text: string): string {
  for (let n = 0; ; n++) {
    const prefix = `Zq${n}q`;
    if (!text.includes(prefix)) return prefix;
  }
}

/**
 * Parses YAML as `yaml`'s `parse` does, with the ASCII strings of the result held in one byte each: every
 * non-ASCII character is replaced by the prefix and its code point in six hex digits (YAML gives none of
 * them a meaning, its whitespace and line breaks being ASCII, except the byte order mark, which is left to
 * the plain parse), and the result's strings and names get them back. A text the placeholders make
 * unparsable (a key grown past YAML's 1,024 characters, say) is parsed as it is, with its own errors.
 */
export function parseYaml(text: string): unknown {
  if (!NON_ASCII.test(text) || text.includes('\uFEFF')) return parse(text);
  const prefix = placeholderPrefix(text);
  const ascii = text.replace(/[\u0080-\u{10FFFF}]/gu, (c) => `${prefix}${c.codePointAt(0)!.toString(16).padStart(6, '0')}`);
  let value: unknown;
  try {
    value = parse(oneByte(ascii));
  } catch {
    return parse(text);
  }
  const placeholder = new RegExp(`${prefix}([0-9a-f]{6})`, 'g');
  const restore = (s: string) =>
    s.includes(prefix) ? s.replace(placeholder, (_, hex: string) => String.fromCodePoint(Number.parseInt(hex, 16))) : s;
  return restored(value, restore, new Map());
}

// `value` with `restore` applied to every string and name in it; an object whose names change is rebuilt
// (names in the same order), others are changed in place. A value reached twice (a YAML alias) stays one.
function restored(value: unknown, restore: (s: string) => string, seen: Map<object, unknown>): unknown {
  if (typeof value === 'string') return restore(value);
  if (value === null || typeof value !== 'object') return value;
  const known = seen.get(value);
  if (known !== undefined) return known;
  if (Array.isArray(value)) {
    seen.set(value, value);
    for (let i = 0; i < value.length; i++) value[i] = restored(value[i], restore, seen);
    return value;
  }
  const record = value as Record<string, unknown>;
  const names = Object.keys(record);
  if (names.every((name) => restore(name) === name)) {
    seen.set(value, value);
    for (const name of names) record[name] = restored(record[name], restore, seen);
    return value;
  }
  const out: Record<string, unknown> = Object.create(Object.getPrototypeOf(value) as object | null);
  seen.set(value, out);
  for (const name of names) {
    Object.defineProperty(out, restore(name), { value: restored(record[name], restore, seen), writable: true, enumerable: true, configurable: true });
  }
  return out;
}
