// Run as a child process (`node --expose-gc bench/lib/state-figures.mjs <accounts> <dir>`): the built mock's
// own code measures what 100,000 accounts cost. Memory per account: the heap after loading the accounts
// into a site (which also keeps the starting records, for a reset), less the heap before, each after a
// full GC, divided by the count; and the same for accounts made by notifyLogin calls (no records kept). Load: reading a state file
// of that many accounts as the mock does at start (read, parse, schema check, rule check, insert). Save: the
// snapshot, JSON text and the atomic write (temporary file, fsync, rename). Prints one JSON line.
import { join } from 'node:path';
import { root } from './proc.mjs';
import { benchAccounts } from './accounts.mjs';
import { bundledContract, site } from './contract.mjs';

const dist = join(root, 'packages', 'mock', 'dist');
const { loadContract } = await import(join(dist, 'contract.js'));
const { ContractValidators } = await import(join(dist, 'validation.js'));
const { Site, Sites } = await import(join(dist, 'sites.js'));
const { DEFAULT_LIMITS } = await import(join(dist, 'lifecycle.js'));
const persistence = await import(join(dist, 'persistence.js'));

const count = Number(process.argv[2] ?? 100_000);
const dir = process.argv[3];
const limits = { ...DEFAULT_LIMITS, accounts: Math.max(count, DEFAULT_LIMITS.accounts) };
const credentials = { ...site, userKey: 'ABenchUserKey', userSecret: 'YmVuY2ggdXNlciBrZXkgc2VjcmV0' };

const heap = () => {
  globalThis.gc();
  globalThis.gc();
  return process.memoryUsage().heapUsed;
};

// The records are made and dropped inside the measurement: what stays is what the site holds.
const before = heap();
const main = new Site(credentials, benchAccounts(count), limits, false);
const after = heap();
const bytesPerAccount = (after - before) / count;

// Accounts made by calls (notifyLogin with a siteUID, a session and a profile): no starting records kept.
const empty = new Site({ ...credentials, apiKey: '3_benchCalls' }, [], limits, false);
const beforeCalls = heap();
for (let i = 0; i < count; i++) {
  empty.lifecycle.notifyLogin({
    siteUID: `call-user-${i}`,
    sessions: { facebook: { authToken: `tok${i}`, providerUID: `fb${i}` } },
    userInfo: { nickname: `user${i}`, firstName: 'Bench', age: 30 },
  });
}
const bytesPerCalledAccount = (heap() - beforeCalls) / count;

const sites = new Sites(main, limits);
const file = join(dir, 'state.json');
let t = performance.now();
await persistence.writeAtomically(file, JSON.stringify(persistence.snapshot(sites)));
const saveMs = performance.now() - t;

const contract = loadContract(bundledContract);
const validators = new ContractValidators(contract);
const validate = validators.compile(persistence.stateFileSchema());
validate({ version: 1, sites: [] }); // compile before timing
t = performance.now();
const state = persistence.readJsonFile(file);
persistence.checkShape(state, validate, file, 'state');
const fresh = new Site(credentials, [], limits, false);
fresh.replace(state.sites[0].accounts);
const loadMs = performance.now() - t;
if (fresh.lifecycle.store.size !== count) throw new Error(`loaded ${fresh.lifecycle.store.size} of ${count} accounts`);
const { size } = await import('node:fs').then((fs) => fs.statSync(file));
console.log(
  JSON.stringify({
    count,
    bytesPerAccount,
    bytesPerCalledAccount,
    accountsByCalls: empty.lifecycle.store.size,
    saveMs,
    loadMs,
    fileBytes: size,
    accountsKept: main.lifecycle.store.size,
  }),
);
