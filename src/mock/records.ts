// Accounts as JSON records: what the controls answer, what a fixture (`--accounts`) and the state file
// (`--state`) hold. The shape is the contract's `MockAccount` schema (the mock package cannot import the
// generated types, so test/mock/records.test-d.ts holds these to them); reading a list also checks what a
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
  constructor(
    readonly where: string,
    detail: string,
  ) {
    super(`${where}: ${detail}`);
  }
}

// Records are read by the hundred thousand at start (a fixture, a state file): plain loops and objects
// built once, without spreads or a string per record unless one is wrong.
function identityOf(record: IdentityRecord, nowMs: number): Identity {
  const identity: Identity = { provider: record.provider, providerUID: record.providerUID, lastLoginTime: 0 };
  if (record.name !== undefined) identity.name = record.name;
  if (record.session !== undefined) identity.session = record.session;
  identity.lastLoginTime = record.lastLoginTime === undefined ? nowMs : Date.parse(record.lastLoginTime);
  return identity;
}

function accountOf(record: AccountRecord, nowMs: number): Account {
  const time = (text: string | undefined) => (text === undefined ? nowMs : Date.parse(text));
  const list = record.identities ?? [];
  const identities: Identity[] = new Array<Identity>(list.length);
  for (let i = 0; i < list.length; i++) identities[i] = identityOf(list[i]!, nowMs);
  const account: Account = {
    gigyaUID: record.gigyaUID,
    identities,
    registration: record.registration ?? 'final',
    isSiteUser: record.isSiteUser ?? record.siteUID !== undefined,
    profile: { ...record.profile },
    created: time(record.created),
    lastLogin: time(record.lastLogin),
  };
  if (record.siteUID !== undefined) account.siteUID = record.siteUID;
  return account;
}

/**
 * Accounts from records that already passed the schema; throws a RecordError for what the schema cannot
 * see. `at` prefixes the names in errors (`accounts`).
 */
export function accountsOf(records: readonly AccountRecord[], limits: Limits, at = 'accounts', nowMs = Date.now()): Account[] {
  if (records.length > limits.accounts) throw new RecordError(at, `more than ${limits.accounts} accounts, the most a site may hold`);
  // Who holds each UID: the record's index, negative (-1 - index) for its siteUID; names are made only for an error.
  const uids = new Map<string, number>();
  const member = (holder: number) => (holder < 0 ? `${at}[${-1 - holder}].siteUID` : `${at}[${holder}].gigyaUID`);
  const claim = (uid: string, holder: number) => {
    const before = uids.get(uid);
    if (before !== undefined) throw new RecordError(member(holder), `${JSON.stringify(uid)} is already the UID of ${member(before)}`);
    uids.set(uid, holder);
  };
  const identities = new Set<string>();
  const accounts = new Array<Account>(records.length);
  for (let index = 0; index < records.length; index++) {
    const record = records[index]!;
    if (record.UID !== undefined && record.UID !== (record.siteUID ?? record.gigyaUID)) {
      throw new RecordError(`${at}[${index}].UID`, 'must be the siteUID when there is one, else the gigyaUID (or be left out)');
    }
    claim(record.gigyaUID, index);
    if (record.siteUID !== undefined && record.siteUID !== record.gigyaUID) claim(record.siteUID, -1 - index);
    if (record.siteUID === record.gigyaUID) throw new RecordError(`${at}[${index}].siteUID`, 'must differ from the Gigya UID');
    const list = record.identities ?? [];
    if (list.length > limits.identities)
      throw new RecordError(`${at}[${index}].identities`, `more than ${limits.identities}, the most an account may hold`);
    for (let i = 0; i < list.length; i++) {
      const key = `${list[i]!.provider}\0${list[i]!.providerUID}`;
      if (identities.has(key))
        throw new RecordError(`${at}[${index}].identities[${i}]`, 'this identity belongs to another account (or is listed twice)');
      identities.add(key);
    }
    accounts[index] = accountOf(record, nowMs);
  }
  return accounts;
}
