// An independent implementation of Gigya's signatures on node:crypto, written from the reference's
// description (§6) rather than from src/, so that tests can check the library against it.
import { createHmac } from 'node:crypto';

const UNRESERVED = new Set('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~');

/** RFC 3986 percent-encoding, byte by byte over UTF-8. */
export function referenceEncode(text: string): string {
  let out = '';
  for (const byte of Buffer.from(text, 'utf8')) {
    const ch = String.fromCharCode(byte);
    out += byte < 0x80 && UNRESERVED.has(ch) ? ch : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** Base64(HMAC-SHA1(Base64Decode(secret), UTF-8(message))). */
export function referenceHmac(secretBase64: string, message: string): string {
  return createHmac('sha1', Buffer.from(secretBase64, 'base64')).update(message, 'utf8').digest('base64');
}

/** The OAuth1-style base string: method, normalized URL, parameters sorted in UTF-16 code unit order. */
export function referenceBaseString(method: string, url: string, params: Record<string, string>): string {
  const u = new URL(url);
  const port = u.port && u.port !== '80' && u.port !== '443' ? `:${u.port}` : '';
  const normalized = `${u.protocol.toLowerCase()}//${u.hostname.toLowerCase()}${port}${u.pathname}`;
  const keys = Object.keys(params).sort((a, b) => {
    for (let i = 0; i < Math.min(a.length, b.length); i++) {
      const d = a.charCodeAt(i) - b.charCodeAt(i);
      if (d !== 0) return d;
    }
    return a.length - b.length;
  });
  const query = keys.map((k) => `${referenceEncode(k)}=${referenceEncode(params[k]!)}`).join('&');
  return `${method.toUpperCase()}&${referenceEncode(normalized)}&${referenceEncode(query)}`;
}
