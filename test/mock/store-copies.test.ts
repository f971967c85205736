// The store keeps a siteUID as a copy of its own (ownCopy in src/mock/store.ts): a form value is a view into
// the request's whole text, and an account that kept the view kept the text alive. Held here by memory: 2,000
// accounts linked to siteUIDs cut from texts of 50,000 characters each would keep 100 MB if the views were
// kept; the heap after a full collection must grow by far less.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { expect, test } from 'vitest';
import { type Account, MemoryStore } from '../../src/mock/store.js';

setFlagsFromString('--expose-gc');
const collect = runInNewContext('gc') as () => void;

const account = (i: number): Account => ({
  gigyaUID: `_gid_copies_${i}`,
  identities: [],
  registration: 'final',
  isSiteUser: true,
  profile: {},
  created: 0,
  lastLogin: 0,
});

test('a linked siteUID does not keep the text it was cut from alive', () => {
  const store = new MemoryStore();
  const accounts = Array.from({ length: 2_000 }, (_, i) => account(i));
  for (const a of accounts) store.insert(a);
  collect();
  const before = process.memoryUsage().heapUsed;
  for (const [i, a] of accounts.entries()) {
    // A text of its own per account, as each request's body is; the siteUID a slice of it (over 13 characters).
    const text = `siteUID=site-user-copies-${i}&padding=${String(i).padEnd(50_000, 'x')}`;
    store.link(a, text.slice('siteUID='.length, text.indexOf('&')));
  }
  collect();
  const grown = process.memoryUsage().heapUsed - before;
  expect(store.find('site-user-copies-1999')).toBe(accounts[1999]);
  expect(grown).toBeLessThan(20 * 2 ** 20);
});
