// A property test of the lifecycle: fast-check drives random sequences of the four methods and the
// controls against the real mock (over HTTP, one isolated site per sequence) and against a tiny reference
// model of the lifecycle written here, and they must agree on every answer: the errorCode, the UID, and
// whether the user is new. The model knows nothing of how the mock derives UIDs: it learns a new account's
// Gigya UID from the answer that created it and then holds the mock to it.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockServer, type MockServer } from '../../src/mock/index.js';
import { call, post } from './mock-helpers.js';

const SEQUENCES = 60;
const NAMES = ['ann', 'bob', 'cy'];
const SITE_UIDS = ['s1', 's2', 's3'];
const TOKENS = ['t1', 't2'];

interface ModelAccount {
  gigyaUID?: string;
  siteUID?: string;
  pending: boolean;
  identities: Set<string>;
}

type Expected = { errorCode: number; UID?: string; isNewUser?: boolean; creates?: ModelAccount };

/** The reference model: the lifecycle as docs/DECISIONS.md item 21 states it, nothing more. */
class Model {
  accounts: ModelAccount[] = [];
  uid = (a: ModelAccount) => a.siteUID ?? a.gigyaUID;
  find = (UID: string) => this.accounts.find((a) => a.siteUID === UID) ?? this.accounts.find((a) => a.gigyaUID === UID);
  byIdentity = (key: string) => this.accounts.find((a) => a.identities.has(key));

  private conflict(a: ModelAccount, siteUID: string): number {
    const holder = this.find(siteUID);
    if (holder && holder !== a) return 400003;
    return a.gigyaUID === siteUID ? 400006 : 0;
  }

  login(name: string, finalize: boolean): Expected {
    const key = `facebook:${name}`;
    const known = this.byIdentity(key);
    if (known) return { errorCode: 0, UID: this.uid(known)!, isNewUser: known.pending };
    const created: ModelAccount = { pending: !finalize, identities: new Set([key]) };
    this.accounts.push(created);
    return { errorCode: 0, isNewUser: true, creates: created };
  }

  notifyRegistration(UID: string, siteUID: string | undefined): Expected {
    const a = this.find(UID);
    if (!a) return { errorCode: 403005 };
    if (!a.pending) {
      if (siteUID !== undefined && siteUID === a.siteUID) return { errorCode: 0 };
      if (siteUID === undefined || a.siteUID !== undefined) return { errorCode: 400006 };
    }
    if (siteUID !== undefined) {
      const conflict = this.conflict(a, siteUID);
      if (conflict) return { errorCode: conflict };
      a.siteUID = siteUID;
    }
    a.pending = false;
    return { errorCode: 0 };
  }

  setUID(UID: string, siteUID: string): Expected {
    const a = this.find(UID);
    if (!a) return { errorCode: 403005 };
    if (a.siteUID === siteUID) return { errorCode: 0 };
    const conflict = this.conflict(a, siteUID);
    if (conflict) return { errorCode: conflict };
    a.siteUID = siteUID;
    return { errorCode: 0 };
  }

  notifyLogin(siteUID: string | undefined, token: string | undefined): Expected {
    const key = token === undefined ? undefined : `twitter:${token}`;
    let a = siteUID !== undefined ? this.find(siteUID) : key !== undefined ? this.byIdentity(key) : undefined;
    if (key !== undefined) {
      const holder = this.byIdentity(key);
      if (holder && holder !== a) return { errorCode: 409001 };
    }
    const isNewUser = a === undefined;
    let creates: ModelAccount | undefined;
    if (!a) {
      a = { pending: false, identities: new Set(), ...(siteUID === undefined ? {} : { siteUID }) };
      this.accounts.push(a);
      if (siteUID === undefined) creates = a;
    }
    if (key !== undefined) a.identities.add(key);
    a.pending = false;
    return { errorCode: 0, ...(creates ? { creates } : { UID: this.uid(a)! }), isNewUser };
  }
}

type Target = { kind: 'current' | 'gigya'; index: number } | { kind: 'unknown' };
type Command =
  | { op: 'login'; name: string; finalize: boolean }
  | { op: 'notifyRegistration'; target: Target; siteUID?: string }
  | { op: 'setUID'; target: Target; siteUID: string }
  | { op: 'notifyLogin'; siteUID?: string; token?: string }
  | { op: 'getAccount'; target: Target }
  | { op: 'resetSite' };

const target: fc.Arbitrary<Target> = fc.oneof(
  fc.record({ kind: fc.constantFrom<'current' | 'gigya'>('current', 'gigya'), index: fc.nat(5) }),
  fc.constant<Target>({ kind: 'unknown' }),
);
const command: fc.Arbitrary<Command> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ op: fc.constant('login' as const), name: fc.constantFrom(...NAMES), finalize: fc.boolean() }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('notifyRegistration' as const), target, siteUID: fc.constantFrom(...SITE_UIDS) }, { requiredKeys: ['op', 'target'] }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('setUID' as const), target, siteUID: fc.constantFrom(...SITE_UIDS) }) },
  {
    weight: 3,
    arbitrary: fc
      .record({ op: fc.constant('notifyLogin' as const), siteUID: fc.constantFrom(...SITE_UIDS), token: fc.constantFrom(...TOKENS) }, { requiredKeys: ['op'] })
      .filter((c) => c.siteUID !== undefined || c.token !== undefined),
  },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('getAccount' as const), target }) },
  { weight: 1, arbitrary: fc.constant<Command>({ op: 'resetSite' }) },
);

let mock: MockServer;
beforeAll(async () => {
  mock = await startMockServer({ port: 0 });
});
afterAll(() => mock?.close());

interface SiteCredentials {
  apiKey: string;
  secret: string;
}

function resolve(model: Model, t: Target): string {
  if (t.kind === 'unknown' || model.accounts.length === 0) return '_gid_nobodyHasThisUID';
  const a = model.accounts[t.index % model.accounts.length]!;
  return (t.kind === 'gigya' ? a.gigyaUID : undefined) ?? model.uid(a) ?? '_gid_nobodyHasThisUID';
}

// Sends one command to the mock; resolves with what it answered in the model's terms.
async function run(site: SiteCredentials, UID: string, c: Command): Promise<{ errorCode: number; UID?: string; isNewUser?: boolean; body: unknown }> {
  const creds = { apiKey: site.apiKey, secret: site.secret };
  switch (c.op) {
    case 'login': {
      const query = { x_provider: 'facebook', client_id: site.apiKey, redirect_uri: 'https://site.example/done', response_type: 'token', mock_identity: c.name, ...(c.finalize ? { finalizeRegistration: 'true' } : {}) };
      const reply = await call(mock.url, '/socialize.login', { query });
      if (reply.status !== 302) return { errorCode: reply.body.errorCode, body: reply.text };
      const result = new URL(String(reply.headers.location)).searchParams;
      return { errorCode: 0, UID: result.get('UID')!, isNewUser: result.get('isNewUser') === 'true', body: String(reply.headers.location) };
    }
    case 'notifyRegistration':
    case 'setUID': {
      const fields = { ...creds, UID, ...(c.siteUID === undefined ? {} : { siteUID: c.siteUID }) };
      const reply = await post(mock.url, `socialize.${c.op}`, fields);
      return { errorCode: reply.body.errorCode, body: { sent: fields, got: reply.body } };
    }
    case 'notifyLogin': {
      const sessions: Record<string, string> = c.token === undefined ? {} : { providerSessions: JSON.stringify({ twitter: { authToken: `tok-${c.token}`, providerUID: c.token } }) };
      const fields = { ...creds, ...(c.siteUID === undefined ? {} : { siteUID: c.siteUID }), ...sessions };
      const reply = await post(mock.url, 'socialize.notifyLogin', fields);
      return { errorCode: reply.body.errorCode, UID: reply.body.UID, isNewUser: reply.body.isNewUser === true, body: reply.body };
    }
    case 'getAccount':
    case 'resetSite':
      throw new Error('controls are checked in place');
  }
}

async function checkControl(site: SiteCredentials, model: Model, c: Command & { op: 'getAccount' | 'resetSite' }): Promise<void> {
  if (c.op === 'resetSite') {
    const reply = await post(mock.url, '__mock/resetSite', { apiKey: site.apiKey, secret: site.secret });
    expect(reply.body).toMatchObject({ errorCode: 0, accounts: 0 });
    model.accounts = [];
    return;
  }
  const UID = resolve(model, c.target);
  const reply = await post(mock.url, '__mock/getAccount', { apiKey: site.apiKey, secret: site.secret, UID });
  const expected = model.find(UID);
  if (!expected) {
    expect(reply.body.errorCode).toBe(403005);
    return;
  }
  expect(reply.body.errorCode).toBe(0);
  expect(reply.body.account).toMatchObject({ UID: model.uid(expected), registration: expected.pending ? 'pending' : 'final' });
  expect(reply.body.account.identities).toHaveLength(expected.identities.size);
}

describe('random sequences of the four methods and the controls agree with a reference model of the lifecycle', () => {
  it(`${SEQUENCES} sequences of up to 30 calls, each on a fresh isolated site`, { timeout: 300_000 }, async () => {
    const seen = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(fc.array(command, { minLength: 5, maxLength: 30 }), async (commands) => {
        const created = await post(mock.url, '__mock/createSite', {});
        const site: SiteCredentials = created.body as never;
        const model = new Model();
        for (const [step, c] of commands.entries()) {
          if (c.op === 'getAccount' || c.op === 'resetSite') {
            await checkControl(site, model, c);
            continue;
          }
          // The UID a call names is chosen before the model (or the mock) changes anything.
          const UID = 'target' in c ? resolve(model, c.target) : '';
          const expected = c.op === 'login' ? model.login(c.name, c.finalize)
            : c.op === 'notifyLogin' ? model.notifyLogin(c.siteUID, c.token)
            : c.op === 'setUID' ? model.setUID(UID, c.siteUID)
            : model.notifyRegistration(UID, c.siteUID);
          const got = await run(site, UID, c);
          const where = `step ${step}: ${JSON.stringify(c)} → ${JSON.stringify(got.body)}`;
          seen.set(got.errorCode, (seen.get(got.errorCode) ?? 0) + 1);
          expect(got.errorCode, where).toBe(expected.errorCode);
          if (expected.creates) {
            // A new account: its UID must be one no other account has; the model learns it.
            expect(got.UID, where).toMatch(/^_gid_/);
            expect(model.accounts.some((a) => a !== expected.creates && (a.gigyaUID === got.UID || a.siteUID === got.UID)), where).toBe(false);
            expected.creates.gigyaUID = got.UID!;
          } else if (expected.UID !== undefined) {
            expect(got.UID, where).toBe(expected.UID);
          }
          if (expected.isNewUser !== undefined) expect(got.isNewUser, where).toBe(expected.isNewUser);
        }
      }),
      { numRuns: SEQUENCES },
    );
    // The sequences reached the state's answers, not only successes.
    for (const code of [0, 400003, 400006, 403005, 409001]) expect(seen.get(code) ?? 0, `errorCode ${code} seen`).toBeGreaterThan(0);
  });
});
