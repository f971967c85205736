// The requests of one turn of the event loop are answered together at its end (src/mock/answer-batch.ts):
// every answer computed, then every answer written. The batch itself, then the real server with many
// answers in one turn, each reaching its own request (requests pipelined on one connection arrive in one
// read, so they are computed and written in one batch).
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { AnswerBatch } from '../../src/mock/answer-batch.js';
import { startMockServer, type MockServer } from '../../src/mock/index.js';
import { parseResponse, type RawResponse } from './raw-http.js';

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('AnswerBatch', () => {
  test('writes nothing in the turn that adds, then everything in the order added', async () => {
    const batch = new AnswerBatch();
    const written: number[] = [];
    for (let i = 0; i < 3; i++) batch.add({ writeNow: () => written.push(i) });
    await Promise.resolve();
    expect(written).toEqual([]);
    await nextTurn();
    expect(written).toEqual([0, 1, 2]);
  });

  test('computes every answer of the turn before writing any; the answers it computes are written in the same turn', async () => {
    const batch = new AnswerBatch();
    const events: string[] = [];
    for (const name of ['a', 'b', 'c']) {
      batch.compute({
        computeNow: () => {
          events.push(`compute ${name}`);
          batch.add({ writeNow: () => events.push(`write ${name}`) });
        },
      });
    }
    await Promise.resolve();
    expect(events).toEqual([]);
    await nextTurn();
    expect(events).toEqual(['compute a', 'compute b', 'compute c', 'write a', 'write b', 'write c']);
  });

  test('a request added while the batch computes is handled in the next turn, not left waiting', async () => {
    const batch = new AnswerBatch();
    const events: string[] = [];
    batch.compute({
      computeNow: () => {
        events.push('compute');
        batch.compute({ computeNow: () => events.push('added while computing') });
      },
    });
    await nextTurn();
    expect(events).toEqual(['compute']);
    await nextTurn();
    expect(events).toEqual(['compute', 'added while computing']);
  });

  test('an answer computed later (a promise) is written in a later turn', async () => {
    const batch = new AnswerBatch();
    const events: string[] = [];
    batch.compute({
      computeNow: () => {
        events.push('compute');
        void Promise.resolve().then(() => batch.add({ writeNow: () => events.push('write') }));
      },
    });
    await nextTurn();
    expect(events).toEqual(['compute']);
    await nextTurn();
    expect(events).toEqual(['compute', 'write']);
  });

  test('a request or a write added while the batch is written waits for the next turn, and is handled then', async () => {
    const batch = new AnswerBatch();
    const events: string[] = [];
    batch.add({
      writeNow: () => {
        events.push('first');
        batch.compute({ computeNow: () => events.push('computed while writing') });
      },
    });
    await nextTurn();
    expect(events).toEqual(['first']);
    await nextTurn();
    expect(events).toEqual(['first', 'computed while writing']);
  });

  test('a write added while the batch is written waits for the next turn, and is written then', async () => {
    const batch = new AnswerBatch();
    const written: string[] = [];
    batch.add({
      writeNow: () => {
        written.push('first');
        batch.add({ writeNow: () => written.push('added while writing') });
      },
    });
    await nextTurn();
    expect(written).toEqual(['first']);
    await nextTurn();
    expect(written).toEqual(['first', 'added while writing']);
  });
});

let mock: MockServer;
const form = (fields: Record<string, string>) => new URLSearchParams({ apiKey: mock.apiKey, secret: mock.secret, ...fields }).toString();

beforeAll(async () => {
  mock = await startMockServer({ port: 0 });
});
afterAll(async () => {
  await mock?.close();
});

/** Sends `requests` in one write on one connection; resolves with the first `count` responses, in order. */
function pipelined(requests: string[], count: number, timeoutMs = 15_000): Promise<RawResponse[]> {
  return new Promise((resolve, reject) => {
    const socket = connect({ port: Number(new URL(mock.url).port), host: '127.0.0.1' });
    let received = Buffer.alloc(0);
    const responses: RawResponse[] = [];
    const timer = setTimeout(() => fail(new Error(`${responses.length} of ${count} responses within ${timeoutMs} ms`)), timeoutMs);
    const fail = (error: Error) => {
      clearTimeout(timer);
      socket.destroy();
      reject(error);
    };
    socket.on('error', fail);
    socket.on('close', () => fail(new Error(`closed after ${responses.length} of ${count} responses`)));
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      for (let response = parseResponse(received); response; response = parseResponse(received)) {
        responses.push(response);
        received = received.subarray(received.indexOf('\r\n\r\n') + 4 + response.body.length);
      }
      if (responses.length >= count) {
        clearTimeout(timer);
        socket.removeAllListeners('close');
        socket.destroy();
        resolve(responses);
      }
    });
    socket.on('connect', () => socket.write(requests.join('')));
  });
}

const notifyLoginRequest = (context: string) => {
  const body = form({ siteUID: 'batch-user', context });
  return `POST /socialize.notifyLogin HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${body.length}\r\n\r\n${body}`;
};

describe('many answers in one turn', () => {
  test('requests pipelined on one connection are answered in the order sent, each with its own context', async () => {
    const contexts = ['one', 'two', 'three', 'four'];
    const responses = await pipelined(contexts.map(notifyLoginRequest), contexts.length);
    const bodies = responses.map((response) => JSON.parse(response.body.toString('utf8')));
    expect(bodies.map((body) => body.errorCode)).toEqual([0, 0, 0, 0]);
    expect(bodies.map((body) => body.context)).toEqual(contexts);
  });
});
