// The social-login lifecycle of one test site, on its accounts (store.ts): a first social login creates a
// pending account, notifyRegistration completes it (and links the siteUID), setUID links a siteUID,
// notifyLogin registers or reconnects a site user. Each step either changes the accounts and says what it
// did, or changes nothing and names the parameter that the state makes wrong (docs/DECISIONS.md item 21).
import { createHash } from 'node:crypto';
import type { ErrorSpec } from './envelope.js';
import { uidOf, type Account, type AccountStore, type Identity, type Profile } from './store.js';

/** How much a test site may hold. */
export interface Limits {
  /** Accounts a site may hold. */
  accounts: number;
  /** Identities one account may hold. */
  identities: number;
}

export const DEFAULT_LIMITS: Readonly<Limits> = { accounts: 200_000, identities: 20 };

/** A step's result: what it did, or the error to answer. */
export type Outcome<T> = { ok: T } | { error: ErrorSpec };

export interface Changed {
  account: Account;
  /** The step created the account (or it is still pending: a registration to finish). */
  isNewUser: boolean;
}

/** A Gigya-style generated UID (`_gid_` + 22 Base64 characters), the same for the same seed. */
function derivedUID(seed: string): string {
  return `_gid_${createHash('sha256').update(seed).digest().subarray(0, 16).toString('base64')}`;
}

/** The providerUID of the named test identity of a network: the same name, the same identity. */
function testProviderUID(provider: string, name: string): string {
  return createHash('sha256').update(`${provider}\0${name}`).digest('hex').slice(0, 16);
}

const fail = (errorCode: number, errorDetails: string): { error: ErrorSpec } => ({ error: { errorCode, errorDetails } });

export interface SocialLogin {
  provider: string;
  /** The test identity's name (`mock_identity`); `default` without one. */
  name: string;
  /** `finalizeRegistration=true`: the new account is final at once. */
  finalize: boolean;
}

export interface SiteLogin {
  siteUID?: string;
  /** Sessions by network, as parsed from `providerSessions`. */
  sessions?: Record<string, Record<string, unknown>>;
  userInfo?: Record<string, unknown>;
}

export class Lifecycle {
  constructor(
    readonly store: AccountStore,
    /** Makes the generated UIDs of this site differ from another's. */
    private readonly seed: string,
    readonly limits: Limits = DEFAULT_LIMITS,
    private readonly now: () => number = Date.now,
  ) {}

  private room(what: string): { error: ErrorSpec } | undefined {
    if (this.store.size < this.limits.accounts) return undefined;
    return fail(403000, `${what}: the site holds the most accounts the mock allows (${this.limits.accounts}); reset it or create another site`);
  }

  private create(gigyaUID: string, fields: Partial<Account>): Account {
    const now = this.now();
    const account: Account = {
      gigyaUID,
      identities: [],
      registration: 'pending',
      isSiteUser: false,
      profile: {},
      created: now,
      lastLogin: now,
      ...fields,
    };
    this.store.insert(account);
    return account;
  }

  /** `socialize.login` with a network: the identity's account, created pending on its first login. */
  socialLogin({ provider, name, finalize }: SocialLogin): Outcome<Changed> {
    const providerUID = testProviderUID(provider, name);
    const identity: Identity = { provider, providerUID, name, lastLoginTime: this.now() };
    const known = this.store.byIdentity(provider, providerUID);
    if (known) {
      this.store.attach(known, identity);
      known.lastLogin = identity.lastLoginTime;
      // A registration the site never finished is still new to it.
      return { ok: { account: known, isNewUser: known.registration === 'pending' } };
    }
    const full = this.room('x_provider');
    if (full) return full;
    const account = this.create(derivedUID(`${this.seed}\0${provider}\0${providerUID}`), {
      identities: [identity],
      registration: finalize ? 'final' : 'pending',
      profile: { nickname: name === 'default' ? 'Mock User' : name },
    });
    return { ok: { account, isNewUser: true } };
  }

  // A siteUID that another account uses as its UID (or Gigya UID), or that is this account's Gigya UID.
  private siteUIDConflict(account: Account | undefined, siteUID: string): { error: ErrorSpec } | undefined {
    const holder = this.store.find(siteUID);
    if (!holder || holder === account) {
      if (account && account.gigyaUID === siteUID) return fail(400006, 'siteUID: must differ from the Gigya UID');
      return undefined;
    }
    return holder.siteUID === siteUID
      ? fail(400003, 'siteUID: already the UID of another account of this site')
      : fail(400003, 'siteUID: the Gigya UID of another account of this site');
  }

  private account(UID: string | undefined): Outcome<Account> {
    if (UID === undefined) return fail(400002, 'Missing required parameter: UID');
    const account = this.store.find(UID);
    return account ? { ok: account } : fail(403005, 'UID: no account of this site has this UID');
  }

  /** `socialize.notifyRegistration`: finishes a pending registration, linking `siteUID` when given. */
  notifyRegistration(UID: string | undefined, siteUID: string | undefined): Outcome<Changed> {
    const found = this.account(UID);
    if ('error' in found) return found;
    const account = found.ok;
    if (account.registration === 'final') {
      if (siteUID !== undefined && siteUID === account.siteUID) return { ok: { account, isNewUser: false } };
      if (siteUID === undefined || account.siteUID !== undefined) {
        return fail(
          400006,
          `UID: the registration of this account is already final${account.siteUID === undefined ? '' : ' under another siteUID (socialize.setUID changes it)'}`,
        );
      }
    }
    if (siteUID !== undefined) {
      const conflict = this.siteUIDConflict(account, siteUID);
      if (conflict) return conflict;
      this.store.link(account, siteUID);
    }
    account.registration = 'final';
    account.isSiteUser = true;
    return { ok: { account, isNewUser: false } };
  }

  /** `socialize.setUID`: the account's UID becomes `siteUID`. */
  setUID(UID: string | undefined, siteUID: string): Outcome<Changed> {
    const found = this.account(UID);
    if ('error' in found) return found;
    const account = found.ok;
    if (account.siteUID === siteUID) return { ok: { account, isNewUser: false } };
    const conflict = this.siteUIDConflict(account, siteUID);
    if (conflict) return conflict;
    this.store.link(account, siteUID);
    account.isSiteUser = true;
    return { ok: { account, isNewUser: false } };
  }

  private sessionIdentities(sessions: SiteLogin['sessions']): Identity[] {
    const now = this.now();
    return Object.entries(sessions ?? {}).map(([provider, session]) => {
      const given = typeof session.providerUID === 'string' && session.providerUID !== '' ? session.providerUID : undefined;
      const token = String(session.authToken ?? session.code ?? '');
      const providerUID = given ?? createHash('sha256').update(`${provider}\0${token}`).digest('hex').slice(0, 16);
      return { provider, providerUID, session, lastLoginTime: now };
    });
  }

  /** `socialize.notifyLogin`: a new siteUID (or new sessions) registers a user, a known one reconnects. */
  notifyLogin({ siteUID, sessions, userInfo }: SiteLogin): Outcome<Changed> {
    const identities = this.sessionIdentities(sessions);
    let account =
      siteUID !== undefined ? this.store.find(siteUID) : identities.map((i) => this.store.byIdentity(i.provider, i.providerUID)).find(Boolean);
    for (const identity of identities) {
      const holder = this.store.byIdentity(identity.provider, identity.providerUID);
      if (holder && holder !== account) return fail(409001, `providerSessions.${identity.provider}: this identity belongs to another account`);
    }
    const known = account?.identities.length ?? 0;
    if (known + identities.length > this.limits.identities) {
      return fail(403000, `providerSessions: an account holds at most ${this.limits.identities} identities in the mock`);
    }
    const isNewUser = account === undefined;
    if (!account) {
      const full = this.room(siteUID !== undefined ? 'siteUID' : 'providerSessions');
      if (full) return full;
      const first = identities[0];
      account = this.create(
        derivedUID(`${this.seed}\0${siteUID !== undefined ? `site\0${siteUID}` : `${first!.provider}\0${first!.providerUID}`}`),
        {},
      );
      if (siteUID !== undefined) this.store.link(account, siteUID);
    }
    for (const identity of identities) this.store.attach(account, identity);
    if (userInfo) Object.assign(account.profile, profileOf(userInfo));
    account.registration = 'final';
    account.isSiteUser = true;
    account.lastLogin = this.now();
    return { ok: { account, isNewUser } };
  }
}

// The profile members of userInfo that hold plain values (nested ones are not profile fields).
function profileOf(userInfo: Record<string, unknown>): Profile {
  const profile: Profile = {};
  for (const [name, value] of Object.entries(userInfo)) {
    if (typeof value === 'string' || typeof value === 'number') profile[name] = value;
  }
  return profile;
}

/** The `user` object of an answer, built from the stored account. */
export function userOf(account: Account, loginProvider: string): Record<string, unknown> {
  const current = account.identities.find((i) => i.provider === loginProvider);
  // Assigned in the answer's order rather than spread (every notifyLogin answer).
  const user: Record<string, unknown> = {
    UID: uidOf(account),
    isSiteUID: account.siteUID !== undefined,
    isSiteUser: account.isSiteUser,
    isLoggedIn: true,
    isConnected: account.identities.length > 0,
    isTempUser: false,
    loginProvider,
  };
  if (current) user.loginProviderUID = current.providerUID;
  user.provider = loginProvider;
  user.providers = account.identities.map((i) => i.provider).join(',');
  user.identities = account.identities.map((i) => ({
    provider: i.provider,
    providerUID: i.providerUID,
    isLoginIdentity: true,
    allowsLogin: true,
    lastLoginTime: Math.floor(i.lastLoginTime / 1000),
  }));
  // As a spread would: a profile member of the same name takes that member's place, `__proto__` included.
  for (const name of Object.keys(account.profile)) {
    const value = account.profile[name];
    if (name === '__proto__') Object.defineProperty(user, name, { value, writable: true, enumerable: true, configurable: true });
    else user[name] = value;
  }
  return user;
}
