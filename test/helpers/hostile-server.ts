// A hostile loopback server on raw sockets, so that it can misbehave in ways node:http would not. The
// first path segment picks the behaviour (`${baseUrl}/stall/socialize.notifyLogin`); an unknown one
// closes the connection.
import { once } from 'node:events';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { expect } from 'vitest';

export interface HostileServer {
  baseUrl: string;
  close: () => Promise<void>;
}

export type Behaviour = (socket: Socket, request: string) => void;

function head(status: number, headers: Record<string, string | number>): string {
  const lines = Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`);
  return `HTTP/1.1 ${status} X\r\n${lines.join('')}\r\n`;
}

export const behaviours: Record<string, Behaviour> = {
  // Headers, one byte of JSON, then nothing: the connection stays open.
  stall: (socket) => socket.write(`${head(200, { 'content-type': 'application/json', 'content-length': 100 })}{`),
  // Headers, then a chunked body that trickles a space every 20 ms and never ends.
  trickle: (socket) => {
    socket.write(`${head(200, { 'content-type': 'application/json', 'transfer-encoding': 'chunked' })}1\r\n{\r\n`);
    const timer = setInterval(() => socket.write('1\r\n \r\n'), 20);
    socket.on('close', () => clearInterval(timer));
  },
  // An endless chunked body as fast as the socket takes it (64 KiB chunks).
  flood: (socket) => {
    socket.write(`${head(200, { 'content-type': 'application/json', 'transfer-encoding': 'chunked' })}1\r\n[\r\n`);
    const chunk = `10000\r\n${' '.repeat(0x10000)}\r\n`;
    const pump = () => {
      while (!socket.destroyed && socket.write(chunk));
    };
    socket.on('drain', pump);
    pump();
  },
  // A declared length above the cap: refused from the headers alone.
  huge: (socket) => socket.write(`${head(200, { 'content-type': 'application/json', 'content-length': 100 * 1024 * 1024 })}{`),
  // An error envelope whose message echoes the whole request body, then 100 KB of padding.
  echo: (socket, request) => {
    const body = request.slice(request.indexOf('\r\n\r\n') + 4);
    const answer = JSON.stringify({
      errorCode: 400002,
      errorMessage: `Invalid request: ${body} ${'x'.repeat(100_000)}`,
      errorDetails: `Request was ${decodeURIComponent(body)} ${'y'.repeat(100_000)}`,
      statusCode: 400,
      callId: '0123456789abcdef0123456789abcdef',
    });
    socket.end(head(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(answer), connection: 'close' }) + answer);
  },
};

export async function startHostileServer(): Promise<HostileServer> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    let received = '';
    socket.on('data', (data) => {
      received += data.toString('latin1');
      // A request is small; a peer that sends more than this is not one of our clients.
      if (received.length > 1024 * 1024) return void socket.destroy();
      const end = received.indexOf('\r\n\r\n');
      if (end === -1) return;
      const length = Number(/content-length: *(\d+)/i.exec(received.slice(0, end))?.[1] ?? 0);
      if (received.length < end + 4 + length) return;
      const path = /^POST \/([^/ ]+)\//.exec(received)?.[1] ?? '';
      (behaviours[path] ?? ((s) => s.destroy()))(socket, received);
      received = '';
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Resolves with the error a promise rejects with; fails the test when it resolves instead. */
export async function failure(promise: Promise<unknown>): Promise<Error> {
  const outcome = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(outcome).toBeInstanceOf(Error);
  return outcome as Error;
}
