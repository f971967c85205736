// The accounts of one test site, behind a small interface: the lifecycle (lifecycle.ts) reads and changes
// accounts only through it, so that another store (a database, say) could stand in. The in-memory store
// keeps three indexes beside the accounts: by Gigya UID (the order of creation), by either UID (siteUID first),
// and by social identity; every change goes through a method that keeps them in step.

import { ShardedMap } from './sharded-map.js';

/** One social identity linked to an account. */
export interface Identity {
  provider: string;
  providerUID: string;
  /** The test identity's name (`mock_identity`), for identities the mock made up. */
  name?: string;
  /** The session fields last sent for it in `providerSessions` (authToken, code, ...), if any. */
  session?: Record<string, unknown>;
  /** Unix milliseconds of the last login with this identity. */
  lastLoginTime: number;
}

type RegistrationState = 'pending' | 'final';

/** Profile members: `userInfo` and the network identity's fields. */
export type Profile = Record<string, string | number>;

export interface Account {
  /** The UID Gigya generated when the account was created (`_gid_…`). */
  readonly gigyaUID: string;
  /** The site's ID for the user, once linked; from then on it is the account's UID. */
  siteUID?: string;
  identities: Identity[];
  registration: RegistrationState;
  isSiteUser: boolean;
  profile: Profile;
  /** Unix milliseconds. */
  readonly created: number;
  /** Unix milliseconds. */
  lastLogin: number;
}

/** The account's UID as Gigya reports it: its siteUID once linked, the Gigya UID before. */
export function uidOf(account: Account): string {
  return account.siteUID ?? account.gigyaUID;
}

/**
 * A copy of `text` that holds only its own characters. A form value is a slice of the request's whole text
 * (V8 keeps a substring of 13 characters or more as a view into its parent), so a siteUID kept as parsed
 * kept the request's body alive with it, about 200 bytes per linked account, and every setUID made the
 * young generation's survivors that much larger (DECISIONS item 34). JSON's round trip makes a flat string.
 */
function ownCopy(text: string): string {
  return JSON.parse(JSON.stringify(text)) as string;
}

const identityKey = (provider: string, providerUID: string) => `${provider}\0${providerUID}`;

/** What the lifecycle needs from a site's accounts. */
export interface AccountStore {
  readonly size: number;
  /** The account whose UID (siteUID once linked, else Gigya UID) is `UID`, or whose Gigya UID it was created with. */
  find(UID: string): Account | undefined;
  /** The account whose current UID is exactly `UID` (not by its original Gigya UID). */
  current(UID: string): Account | undefined;
  byIdentity(provider: string, providerUID: string): Account | undefined;
  /** Adds a new account; its UIDs and identities must be free (the caller checks). */
  insert(account: Account): void;
  /** Links `siteUID` to the account (it becomes its UID); no other account may have it as its UID or Gigya UID (the caller checks). */
  link(account: Account, siteUID: string): void;
  /** Adds or refreshes an identity of the account. */
  attach(account: Account, identity: Identity): void;
  /** Every account, in insertion order. */
  all(): IterableIterator<Account>;
  clear(): void;
}

export class MemoryStore implements AccountStore {
  private readonly byGigyaUID = new Map<string, Account>();
  // Every UID in one index, so that setUID's path looks up each UID once, not in two indexes: a key is an
  // account's siteUID or, when no account has it as its siteUID, the Gigya UID of the account created with
  // it; `byUID.get(UID)` is what a siteUID index looked in first and a Gigya UID index second would give.
  // Sharded: setUID deletes a key and adds one on every call, and one Map of this size froze the process
  // for tens of ms whenever V8 rebuilt its table (sharded-map.ts).
  private readonly byUID = new ShardedMap<Account>();
  private readonly identities = new Map<string, Account>();
  // Whether a key was ever both a siteUID and a Gigya UID: only then can a siteUID given up uncover a Gigya
  // UID under it. The lifecycle's rules and a fixture's keep the two apart; a Gigya UID the mock derives for
  // a new account could still equal a siteUID chosen earlier.
  private shared = false;

  get size(): number {
    return this.byGigyaUID.size;
  }

  find(UID: string): Account | undefined {
    return this.byUID.get(UID);
  }

  current(UID: string): Account | undefined {
    const account = this.byUID.get(UID);
    return account && (account.siteUID === UID || account.siteUID === undefined) ? account : undefined;
  }

  byIdentity(provider: string, providerUID: string): Account | undefined {
    return this.identities.get(identityKey(provider, providerUID));
  }

  insert(account: Account): void {
    const { gigyaUID, siteUID } = account;
    this.byGigyaUID.set(gigyaUID, account);
    const holder = this.byUID.get(gigyaUID);
    if (holder !== undefined) this.shared = true;
    if (holder === undefined || holder.siteUID !== gigyaUID) this.byUID.set(gigyaUID, account);
    if (siteUID !== undefined) {
      if (this.byGigyaUID.has(siteUID)) this.shared = true;
      this.byUID.set(siteUID, account);
    }
    for (const identity of account.identities) this.identities.set(identityKey(identity.provider, identity.providerUID), account);
  }

  link(account: Account, siteUID: string): void {
    const previous = account.siteUID;
    if (previous !== undefined) {
      // A Gigya UID the previous siteUID hid (the account's own included) can be found again.
      const uncovered = this.shared ? this.byGigyaUID.get(previous) : undefined;
      if (uncovered === undefined) this.byUID.delete(previous);
      else this.byUID.set(previous, uncovered);
    }
    // No other account has `siteUID` as its UID or Gigya UID (the caller checks); this one's Gigya UID may be it.
    if (siteUID === account.gigyaUID) this.shared = true;
    const kept = ownCopy(siteUID);
    account.siteUID = kept;
    this.byUID.set(kept, account);
  }

  attach(account: Account, identity: Identity): void {
    const existing = account.identities.find((i) => i.provider === identity.provider && i.providerUID === identity.providerUID);
    if (existing) {
      existing.lastLoginTime = identity.lastLoginTime;
      if (identity.session !== undefined) existing.session = identity.session;
      return;
    }
    account.identities.push(identity);
    this.identities.set(identityKey(identity.provider, identity.providerUID), account);
  }

  all(): IterableIterator<Account> {
    return this.byGigyaUID.values();
  }

  clear(): void {
    this.byGigyaUID.clear();
    this.byUID.clear();
    this.shared = false;
    this.identities.clear();
  }
}
