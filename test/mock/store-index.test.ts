// MemoryStore keeps every UID in one index (docs/DECISIONS.md item 30): it must find what a siteUID index
// looked in first and a Gigya UID index second would find. fast-check drives random sequences of the
// store's changes, as the lifecycle and the fixtures make them, over a few UIDs (so that a Gigya UID the
// mock derives can equal a siteUID chosen earlier, and one account's siteUID can be given up and taken by
// another), against a reference of two indexes written here; after every step both must agree on every UID.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Account, MemoryStore } from '../../src/mock/store.js';

const UIDS = ['a', 'b', 'c', 'd', 'e'];

/** The reference: a siteUID index looked in first, a Gigya UID index second. */
class TwoIndexes {
  readonly byGigyaUID = new Map<string, Account>();
  readonly bySiteUID = new Map<string, Account>();
  find = (UID: string) => this.bySiteUID.get(UID) ?? this.byGigyaUID.get(UID);
  current(UID: string): Account | undefined {
    const linked = this.bySiteUID.get(UID);
    if (linked) return linked;
    const account = this.byGigyaUID.get(UID);
    return account && account.siteUID === undefined ? account : undefined;
  }
}

type Step = { kind: 'create'; gigyaUID: string; siteUID?: string } | { kind: 'link'; which: number; siteUID: string } | { kind: 'clear' };

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({
    kind: fc.constant('create' as const),
    gigyaUID: fc.constantFrom(...UIDS),
    siteUID: fc.option(fc.constantFrom(...UIDS), { nil: undefined }),
  }),
  fc.record({ kind: fc.constant('link' as const), which: fc.nat(20), siteUID: fc.constantFrom(...UIDS) }),
  fc.record({ kind: fc.constant('clear' as const) }),
  { arbitrary: fc.record({ kind: fc.constant('link' as const), which: fc.nat(20), siteUID: fc.constantFrom(...UIDS) }), weight: 2 },
);

const account = (gigyaUID: string, siteUID?: string): Account => ({
  gigyaUID,
  ...(siteUID === undefined ? {} : { siteUID }),
  identities: [],
  registration: 'final',
  isSiteUser: siteUID !== undefined,
  profile: {},
  created: 0,
  lastLogin: 0,
});

describe('MemoryStore: one index for both UIDs', () => {
  it('finds what two indexes (siteUID first) would, after every change', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 40 }), (steps) => {
        const store = new MemoryStore();
        const reference = new TwoIndexes();
        let accounts: Account[] = [];
        for (const s of steps) {
          if (s.kind === 'clear') {
            store.clear();
            reference.byGigyaUID.clear();
            reference.bySiteUID.clear();
            accounts = [];
          } else if (s.kind === 'create') {
            // A siteUID at creation only as a fixture may have one: no account holds it as either UID.
            const siteUID = s.siteUID !== undefined && s.siteUID !== s.gigyaUID && reference.find(s.siteUID) === undefined ? s.siteUID : undefined;
            const created = account(s.gigyaUID, siteUID);
            store.insert(created);
            reference.byGigyaUID.set(created.gigyaUID, created);
            if (siteUID !== undefined) reference.bySiteUID.set(siteUID, created);
            accounts.push(created);
          } else {
            const target = accounts[s.which % Math.max(1, accounts.length)];
            // link's rule, as the lifecycle checks it: no other account has the siteUID as its UID or Gigya UID.
            const holder = reference.find(s.siteUID);
            const taken = (holder !== undefined && holder !== target) || accounts.some((a) => a !== target && a.gigyaUID === s.siteUID);
            if (target === undefined || taken) continue;
            if (target.siteUID !== undefined) reference.bySiteUID.delete(target.siteUID);
            store.link(target, s.siteUID);
            reference.bySiteUID.set(s.siteUID, target);
          }
          expect(store.size).toBe(reference.byGigyaUID.size);
          expect([...store.all()]).toEqual([...reference.byGigyaUID.values()]);
          for (const UID of UIDS) {
            expect(store.find(UID), `find(${UID}) after ${JSON.stringify(s)}`).toBe(reference.find(UID));
            expect(store.current(UID), `current(${UID}) after ${JSON.stringify(s)}`).toBe(reference.current(UID));
          }
        }
      }),
      { numRuns: 2000 },
    );
  });
});
