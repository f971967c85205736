// The client against a real server process or socket: every method's success and an error. Written once
// and run against each server that speaks Gigya's envelope: the node:http stand-in (client-http.test.ts)
// and the mock server started as a process (client-mock-process.test.ts).
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  createSocializeClient,
  GigyaError,
  validateUIDSignature,
  type CallOptions,
  type SocializeClient,
  type SocializeMethod,
  type SocializeParams,
} from '../../src/index.js';

/** A server the suite can run against. */
export interface ServerUnderTest {
  baseUrl: string;
  apiKey: string;
  /** The partner secret the server accepts (and signs UIDSignature with). */
  secret: string;
  /** Per method: parameters (and call options) the server answers with an error, and that error's code. */
  errorCases: {
    [M in SocializeMethod]: { params: SocializeParams<M>; options?: CallOptions; errorCode: number };
  };
  close(): Promise<void>;
}

/** Registers the success-and-error suite for one server. */
export function clientSuite(label: string, start: () => Promise<ServerUnderTest>): void {
  describe(`client against ${label}`, () => {
    let server: ServerUnderTest;
    let client: SocializeClient;

    beforeAll(async () => {
      server = await start();
      client = createSocializeClient({ apiKey: server.apiKey, baseUrl: server.baseUrl, credentials: { secret: server.secret } });
    });
    afterAll(() => server?.close());

    // The account the contract's examples name: the mock starts with it (linked to site-user-42, final),
    // and repeating what is already so succeeds.
    test('setUID succeeds', async () => {
      const answer = await client.setUID({ UID: '_gid_Maxa3fCszqWc1A1D1HsoHg==', siteUID: 'site-user-42' });
      expect(answer.errorCode).toBe(0);
      expect(answer.statusCode).toBe(200);
      expect(answer.callId).toMatch(/^[0-9a-f]{32}$/);
    });

    test('notifyRegistration succeeds', async () => {
      const answer = await client.notifyRegistration({ UID: '_gid_Maxa3fCszqWc1A1D1HsoHg==', siteUID: 'site-user-42', cid: 'registration' });
      expect(answer.errorCode).toBe(0);
      expect(typeof answer.time).toBe('string');
    });

    test('notifyLogin succeeds, with a UID whose signature verifies', async () => {
      const answer = await client.notifyLogin({ siteUID: 'site-user-42', newUser: true, userInfo: { firstName: 'Ann', age: 30 } });
      expect(answer.errorCode).toBe(0);
      expect(typeof answer.UID).toBe('string');
      if (answer.UIDSignature !== undefined && answer.signatureTimestamp !== undefined) {
        await expect(
          validateUIDSignature({
            secret: server.secret,
            UID: answer.UID,
            UIDSignature: answer.UIDSignature,
            signatureTimestamp: answer.signatureTimestamp,
            maxAgeSeconds: 600,
          }),
        ).resolves.toBe(true);
      }
    });

    for (const method of ['socialize.setUID', 'socialize.notifyRegistration', 'socialize.notifyLogin'] as const) {
      test(`${method} rejects with GigyaError on a non-zero errorCode`, async () => {
        const { params, options, errorCode } = server.errorCases[method];
        const name = method.slice('socialize.'.length) as 'setUID' | 'notifyRegistration' | 'notifyLogin';
        const call = client[name] as (p: typeof params, o?: CallOptions) => Promise<unknown>;
        const error = await call(params, options).then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(error).toBeInstanceOf(GigyaError);
        const gigya = error as GigyaError;
        expect(gigya.method).toBe(method);
        expect(gigya.errorCode).toBe(errorCode);
        expect(typeof gigya.errorMessage).toBe('string');
        expect(gigya.callId).toMatch(/^[0-9a-f]{32}$/);
        expect(gigya.statusCode).toBeGreaterThanOrEqual(400);
        expect(gigya.message).toContain(method);
        expect(gigya.message).toContain(String(errorCode));
        expect(gigya.message).toContain(gigya.callId!);
        expect(gigya.message).not.toContain(server.secret);
      });
    }
  });
}
