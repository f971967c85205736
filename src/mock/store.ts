// The accounts of one test site, behind a small interface: the lifecycle (lifecycle.ts) reads and changes
// accounts only through it, so that another store (a database, say) could stand in. The in-memory store
// keeps three indexes beside the accounts: by current UID, by the Gigya UID an account was created with,
// and by social identity; every change goes through a method that keeps them in step.

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
  /** Links `siteUID` to the account (it becomes its UID). */
  link(account: Account, siteUID: string): void;
  /** Adds or refreshes an identity of the account. */
  attach(account: Account, identity: Identity): void;
  /** Every account, in insertion order. */
  all(): IterableIterator<Account>;
  clear(): void;
}

export class MemoryStore implements AccountStore {
  private readonly byGigyaUID = new Map<string, Account>();
  private readonly bySiteUID = new Map<string, Account>();
  private readonly identities = new Map<string, Account>();

  get size(): number {
    return this.byGigyaUID.size;
  }

  find(UID: string): Account | undefined {
    return this.bySiteUID.get(UID) ?? this.byGigyaUID.get(UID);
  }

  current(UID: string): Account | undefined {
    const linked = this.bySiteUID.get(UID);
    if (linked) return linked;
    const account = this.byGigyaUID.get(UID);
    return account && account.siteUID === undefined ? account : undefined;
  }

  byIdentity(provider: string, providerUID: string): Account | undefined {
    return this.identities.get(identityKey(provider, providerUID));
  }

  insert(account: Account): void {
    this.byGigyaUID.set(account.gigyaUID, account);
    if (account.siteUID !== undefined) this.bySiteUID.set(account.siteUID, account);
    for (const identity of account.identities) this.identities.set(identityKey(identity.provider, identity.providerUID), account);
  }

  link(account: Account, siteUID: string): void {
    if (account.siteUID !== undefined) this.bySiteUID.delete(account.siteUID);
    account.siteUID = siteUID;
    this.bySiteUID.set(siteUID, account);
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
    this.bySiteUID.clear();
    this.identities.clear();
  }
}
