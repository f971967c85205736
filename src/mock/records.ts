// Accounts as JSON records: what the controls answer, what a fixture (`--accounts`) and the state file
// (`--state`) hold. The shape is the contract's `MockAccount` schema; reading a list also checks what a
// schema cannot (the same UID, siteUID or identity twice, a siteUID that is another account's Gigya UID,
// more than a site may hold), naming the record and member that are wrong.
import type { Limits } from './lifecycle.js';
import { uidOf, type Account, type Identity } from './store.js';

/** One social identity of an account record (the contract's `MockIdentity`). */
export interface IdentityRecord {
  provider: string;
  providerUID: string;
  name?: string;
  session?: Record<string, unknown>;
  lastLoginTime?: string;
}

/** One account as a JSON record (the contract's `MockAccount`): what the controls list, a fixture or state file holds. */
export interface AccountRecord {
  UID?: string;
  gigyaUID: string;
  siteUID?: string;
  registration?: 'pending' | 'final';
  isSiteUser?: boolean;
  identities?: IdentityRecord[];
  profile?: Record<string, string | number>;
  created?: string;
  lastLogin?: string;
}

const iso = (ms: number) => new Date(ms).toISOString();

export function recordOf(account: Account): AccountRecord {
  return {
    UID: uidOf(account),
    gigyaUID: account.gigyaUID,
    ...(account.siteUID === undefined ? {} : { siteUID: account.siteUID }),
    registration: account.registration,
    isSiteUser: account.isSiteUser,
    identities: account.identities.map((i) => ({
      provider: i.provider,
      providerUID: i.providerUID,
      ...(i.name === undefined ? {} : { name: i.name }),
      ...(i.session === undefined ? {} : { session: i.session }),
      lastLoginTime: iso(i.lastLoginTime),
    })),
    profile: account.profile,
    created: iso(account.created),
    lastLogin: iso(account.lastLogin),
  };
}

/** A record list that breaks a rule: `where` names the record and member (`accounts[3].siteUID`). */
export class RecordError extends Error {
  constructor(readonly where: string, detail: string) {
    super(`${where}: ${detail}`);
  }
}

function accountOf(record: AccountRecord, nowMs: number): Account {
  const time = (text: string | undefined) => (text === undefined ? nowMs : Date.parse(text));
  const identities: Identity[] = (record.identities ?? []).map((i) => ({
    provider: i.provider,
    providerUID: i.providerUID,
    ...(i.name === undefined ? {} : { name: i.name }),
    ...(i.session === undefined ? {} : { session: i.session }),
    lastLoginTime: time(i.lastLoginTime),
  }));
  return {
    gigyaUID: record.gigyaUID,
    ...(record.siteUID === undefined ? {} : { siteUID: record.siteUID }),
    identities,
    registration: record.registration ?? 'final',
    isSiteUser: record.isSiteUser ?? record.siteUID !== undefined,
    profile: { ...record.profile },
    created: time(record.created),
    lastLogin: time(record.lastLogin),
  };
}

/**
 * Accounts from records that already passed the schema; throws a RecordError for what the schema cannot
 * see. `at` prefixes the names in errors (`accounts`).
 */
export function accountsOf(records: readonly AccountRecord[], limits: Limits, at = 'accounts', nowMs = Date.now()): Account[] {
  if (records.length > limits.accounts) throw new RecordError(at, `more than ${limits.accounts} accounts, the most a site may hold`);
  const uids = new Map<string, string>();
  const identities = new Set<string>();
  const claim = (uid: string, where: string) => {
    const before = uids.get(uid);
    if (before !== undefined) throw new RecordError(where, `${JSON.stringify(uid)} is already the UID of ${before}`);
    uids.set(uid, where);
  };
  return records.map((record, index) => {
    const where = `${at}[${index}]`;
    if (record.UID !== undefined && record.UID !== (record.siteUID ?? record.gigyaUID)) {
      throw new RecordError(`${where}.UID`, 'must be the siteUID when there is one, else the gigyaUID (or be left out)');
    }
    claim(record.gigyaUID, `${where}.gigyaUID`);
    if (record.siteUID !== undefined && record.siteUID !== record.gigyaUID) claim(record.siteUID, `${where}.siteUID`);
    if (record.siteUID === record.gigyaUID) throw new RecordError(`${where}.siteUID`, 'must differ from the Gigya UID');
    const list = record.identities ?? [];
    if (list.length > limits.identities) throw new RecordError(`${where}.identities`, `more than ${limits.identities}, the most an account may hold`);
    list.forEach((identity, i) => {
      const key = `${identity.provider}\0${identity.providerUID}`;
      if (identities.has(key)) throw new RecordError(`${where}.identities[${i}]`, 'this identity belongs to another account (or is listed twice)');
      identities.add(key);
    });
    return accountOf(record, nowMs);
  });
}
