/// <reference types="node" />
// Connection accounting for the mock's HTTP server. node:http closes a connection that started a request
// and stalls (headersTimeout, requestTimeout) or idles between requests (keepAliveTimeout), but not one
// that never sends a byte: a flood of those holds every file descriptor, and then nothing else can be
// accepted, nor can Prism's engine open its module files. So the mock keeps its own books:
// - a connection with no request in flight whose byte counters have not moved for `idleMs` is closed
//   (checked by a sweep, not by socket timeouts, which node:http resets between keep-alive requests);
// - at most `max` connections are open: a new one past the cap closes the connection that has been idle
//   the longest, so a flood of silent connections cannot lock a real client out; when all are busy, the
//   new one is closed instead.
import { readFileSync } from 'node:fs';
import type { Socket } from 'node:net';

/** Connections the mock keeps open at most, unless the descriptor limit asks for fewer (see below). */
const MAX_CONNECTIONS = 1000;

interface Book {
  /** Requests in flight on this connection. */
  busy: number;
  /** bytesRead + bytesWritten when last seen moving. */
  bytes: number;
  /** performance.now() when the counters last moved or the last request ended. */
  lastActive: number;
}

/**
 * The default cap: MAX_CONNECTIONS, or half the process's soft limit of open files when that is lower
 * (read from /proc/self/limits where it exists), so that descriptors remain for the files the mock opens
 * itself (Prism's modules, the docs page) and for node's own handles.
 */
export function defaultMaxConnections(): number {
  try {
    const limits = readFileSync('/proc/self/limits', 'utf8');
    const soft = /^Max open files\s+(\d+)/m.exec(limits)?.[1];
    if (soft !== undefined) return Math.max(8, Math.min(MAX_CONNECTIONS, Math.floor(Number(soft) / 2)));
  } catch {
    // Not Linux, or /proc not mounted: the fixed cap.
  }
  return MAX_CONNECTIONS;
}

export class ConnectionGuard {
  private readonly open = new Map<Socket, Book>();
  private readonly sweeper: NodeJS.Timeout;
  /** Connections closed because they idled, and because the cap was reached (for tests and logs). */
  readonly closed = { idle: 0, evicted: 0, refused: 0 };

  constructor(private readonly limits: { max: number; idleMs: number }) {
    this.sweeper = setInterval(() => this.sweep(), Math.max(50, Math.min(1000, limits.idleMs / 4)));
    this.sweeper.unref();
  }

  get size(): number {
    return this.open.size;
  }

  /** For the server's 'connection' event. */
  accept(socket: Socket): void {
    if (this.open.size >= this.limits.max) {
      const idlest = this.idlest();
      if (idlest === undefined) {
        this.closed.refused++;
        socket.destroy();
        return;
      }
      this.closed.evicted++;
      idlest.destroy();
    }
    this.open.set(socket, { busy: 0, bytes: 0, lastActive: performance.now() });
    socket.once('close', () => this.open.delete(socket));
  }

  /** A request arrived on `socket`; `requestEnded` must follow once, when its answer is finished or abandoned. */
  requestStarted(socket: Socket): void {
    const book = this.open.get(socket);
    if (book) book.busy++;
  }

  /** The answer to a request on `socket` is finished or abandoned (a closed connection has no book left). */
  requestEnded(socket: Socket): void {
    const book = this.open.get(socket);
    if (!book) return;
    book.busy--;
    book.lastActive = performance.now();
  }

  stop(): void {
    clearInterval(this.sweeper);
  }

  private idlest(): Socket | undefined {
    let found: Socket | undefined;
    let oldest = Infinity;
    for (const [socket, book] of this.open) {
      if (book.busy === 0 && book.lastActive < oldest) {
        oldest = book.lastActive;
        found = socket;
      }
    }
    return found;
  }

  private sweep(): void {
    const now = performance.now();
    for (const [socket, book] of this.open) {
      const bytes = socket.bytesRead + socket.bytesWritten;
      if (bytes !== book.bytes || book.busy > 0) {
        book.bytes = bytes;
        if (book.busy === 0) book.lastActive = now;
        continue;
      }
      if (now - book.lastActive >= this.limits.idleMs) {
        this.closed.idle++;
        socket.destroy();
      }
    }
  }
}
