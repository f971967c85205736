// HTTP/1.1 by hand over node:net, for requests no HTTP client would send: oversized or truncated bodies,
// bytes that are not UTF-8, a client that stops in the middle. Each exchange reports what came back (a
// parsed response, or only bytes), whether the server closed the connection, and how much was sent.
import { connect, type Socket } from 'node:net';

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

export interface Exchange {
  /** The first complete response, if one arrived. */
  response?: RawResponse;
  /** The server closed (or reset) the connection. */
  closed: boolean;
  /** Milliseconds from the first byte sent until the response or the close. */
  ms: number;
  /** Bytes the client managed to hand to the socket. */
  sent: number;
  /** Everything received, for messages. */
  received: Buffer;
}

/** Parses one HTTP/1.1 response from the start of `data`; undefined while it is incomplete. */
export function parseResponse(data: Buffer): RawResponse | undefined {
  const end = data.indexOf('\r\n\r\n');
  if (end === -1) return undefined;
  const [statusLine, ...lines] = data.subarray(0, end).toString('latin1').split('\r\n');
  const match = /^HTTP\/1\.[01] (\d{3})/.exec(statusLine ?? '');
  if (!match) throw new Error(`not an HTTP response: ${JSON.stringify(statusLine)}`);
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const rest = data.subarray(end + 4);
  if (headers['transfer-encoding']?.toLowerCase() === 'chunked') {
    const parts: Buffer[] = [];
    let at = 0;
    for (;;) {
      const lineEnd = rest.indexOf('\r\n', at);
      if (lineEnd === -1) return undefined;
      const size = parseInt(rest.subarray(at, lineEnd).toString('latin1'), 16);
      if (!Number.isFinite(size)) throw new Error('bad chunk size');
      if (size === 0) return { status: Number(match[1]), headers, body: Buffer.concat(parts) };
      if (rest.length < lineEnd + 2 + size + 2) return undefined;
      parts.push(rest.subarray(lineEnd + 2, lineEnd + 2 + size));
      at = lineEnd + 2 + size + 2;
    }
  }
  const length = headers['content-length'] === undefined ? 0 : Number(headers['content-length']);
  if (rest.length < length) return undefined;
  return { status: Number(match[1]), headers, body: rest.subarray(0, length) };
}

export interface ExchangeOptions {
  /** Give up (and report neither response nor close) after this long. */
  timeoutMs?: number;
  /** Half-close (send FIN) after the last part. */
  end?: boolean;
}

/**
 * Connects, writes `parts` in order (each awaited until the socket drains; a function part is called
 * lazily, and returning undefined stops sending), then waits for a complete response or the close.
 * Sending stops as soon as a response arrives or the connection closes.
 */
export function exchange(
  port: number,
  parts: Iterable<Buffer | string>,
  { timeoutMs = 10_000, end = false }: ExchangeOptions = {},
): Promise<Exchange> {
  return new Promise((resolve) => {
    const socket: Socket = connect({ port, host: '127.0.0.1' });
    const chunks: Buffer[] = [];
    let sent = 0;
    let done = false;
    let started = 0;
    const finish = (closed: boolean) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      const received = Buffer.concat(chunks);
      let response: RawResponse | undefined;
      try {
        response = parseResponse(received);
      } catch {
        response = undefined;
      }
      socket.destroy();
      resolve({ response, closed, ms: performance.now() - started, sent, received });
    };
    const timer = setTimeout(() => finish(false), timeoutMs);
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      try {
        if (parseResponse(Buffer.concat(chunks))) finish(false);
      } catch {
        finish(false);
      }
    });
    socket.on('error', () => finish(true));
    socket.on('close', () => finish(true));
    socket.on('connect', async () => {
      started = performance.now();
      for (const part of parts) {
        if (done || socket.destroyed) return;
        const buffer = typeof part === 'string' ? Buffer.from(part, 'latin1') : part;
        const flushed = socket.write(buffer, () => undefined);
        sent += buffer.length;
        if (!flushed) {
          await new Promise<void>((r) => {
            const go = () => {
              socket.off('drain', go);
              socket.off('close', go);
              r();
            };
            socket.on('drain', go);
            socket.on('close', go);
          });
        }
      }
      if (end && !done && !socket.destroyed) socket.end();
    });
  });
}

/** A request head (request line and headers) as raw text. */
export function head(method: string, target: string, headers: Record<string, string | number> = {}): string {
  const lines = [`${method} ${target} HTTP/1.1`, 'Host: 127.0.0.1'];
  for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`);
  return `${lines.join('\r\n')}\r\n\r\n`;
}
