// The mock's test sites: the default one (its credentials printed at start) and the isolated ones tests
// create through /__mock/createSite, each with its own API key, partner secret, user key and secret, and
// accounts that no other site sees. A site remembers the accounts it started with, for a reset.
import { randomBytes } from 'node:crypto';
import { CredentialChecker, type SiteCredentials } from './credentials.js';
import { Lifecycle, type Limits } from './lifecycle.js';
import { accountsOf, type AccountRecord } from './records.js';
import { MemoryStore } from './store.js';

/** Sites that /__mock/createSite may add, at most. */
const SITE_LIMIT = 1000;

export class Site {
  readonly credentials: CredentialChecker;
  readonly lifecycle: Lifecycle;

  constructor(
    credentials: SiteCredentials,
    /** The accounts a reset brings back. */
    private initial: readonly AccountRecord[],
    limits: Limits,
    /** Made by /__mock/createSite (not the default site). */
    readonly isolated: boolean,
  ) {
    this.credentials = new CredentialChecker(credentials);
    this.lifecycle = new Lifecycle(new MemoryStore(), credentials.apiKey, limits);
    this.replace(initial);
  }

  get apiKey(): string {
    return this.credentials.site.apiKey;
  }

  /** Replaces every account with these records (validated first: nothing changes on an error). */
  replace(records: readonly AccountRecord[], at = 'accounts'): void {
    const accounts = accountsOf(records, this.lifecycle.limits, at);
    const { store } = this.lifecycle;
    store.clear();
    for (const account of accounts) store.insert(account);
  }

  /** Back to the accounts the site started with. */
  reset(): void {
    this.replace(this.initial);
  }

  /** From now on a reset brings back these records. */
  setInitial(records: readonly AccountRecord[]): void {
    this.initial = records;
  }
}

export class SiteFullError extends Error {}

const token = (bytes: number) => randomBytes(bytes).toString('base64url');

export class Sites {
  private readonly byApiKey = new Map<string, Site>();

  constructor(
    readonly main: Site,
    private readonly limits: Limits,
  ) {
    this.byApiKey.set(main.apiKey, main);
  }

  get(apiKey: string): Site | undefined {
    return this.byApiKey.get(apiKey);
  }

  all(): IterableIterator<Site> {
    return this.byApiKey.values();
  }

  /** Adds a site (from the state file, or a new isolated one). */
  add(credentials: SiteCredentials, records: readonly AccountRecord[] = []): Site {
    if (this.byApiKey.has(credentials.apiKey)) throw new SiteFullError(`apiKey: a site with API key ${credentials.apiKey} exists`);
    if (this.byApiKey.size > SITE_LIMIT) throw new SiteFullError(`the mock holds at most ${SITE_LIMIT} created sites; restart it to begin again`);
    const site = new Site(credentials, [], this.limits, true);
    if (records.length > 0) site.replace(records);
    this.byApiKey.set(site.apiKey, site);
    return site;
  }

  /** A new isolated site with fresh credentials. */
  create(): Site {
    return this.add({
      apiKey: `3_mock${token(18)}`,
      secret: randomBytes(32).toString('base64'),
      userKey: `AMock${token(9)}`,
      userSecret: randomBytes(24).toString('base64'),
    });
  }
}
