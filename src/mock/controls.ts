// The mock's test controls, outside Gigya's namespace under /__mock/ (the contract's "Mock controls" tag):
// create an isolated site, list and inspect a site's accounts, load accounts, reset a site. They take form
// bodies like Gigya's methods and answer in Gigya's envelope; every one but createSite needs the site's
// API key and partner secret, so that a test sees only the sites it owns.
import type { Answer, Envelopes, ErrorSpec } from './envelope.js';
import { recordOf, RecordError, type AccountRecord } from './records.js';
import type { ParsedRequest } from './request.js';
import { SiteFullError, type Site, type Sites } from './sites.js';
import { ajvProblems, type ContractValidators } from './validation.js';

export { CONTROL_PREFIX } from './cors.js';
import { CONTROL_PREFIX } from './cors.js';
/** Accounts one listAccounts answer carries at most. */
const LIST_LIMIT = 10_000;

type Handler = (params: Map<string, string>, site: Site) => Record<string, unknown> | ErrorSpec;

const isError = (value: Record<string, unknown> | ErrorSpec): value is ErrorSpec => typeof value.errorCode === 'number';

function count(params: Map<string, string>, name: string, fallback: number, max: number): number | ErrorSpec {
  const text = params.get(name);
  if (text === undefined) return fallback;
  if (!/^\d{1,9}$/.test(text) || Number(text) > max) return { errorCode: 400006, errorDetails: `${name}: must be a whole number from 0 to ${max}` };
  return Number(text);
}

export class Controls {
  private readonly handlers: Record<string, Handler> = {
    listAccounts: (params, site) => this.list(params, site),
    getAccount: (params, site) => {
      const UID = params.get('UID');
      if (UID === undefined) return { errorCode: 400002, errorDetails: 'Missing required parameter: UID' };
      const account = site.lifecycle.store.find(UID);
      return account ? { account: recordOf(account) } : { errorCode: 403005, errorDetails: 'UID: no account of this site has this UID' };
    },
    loadAccounts: (params, site) => this.load(params, site),
    resetSite: (_params, site) => {
      site.reset();
      this.changed();
      return { accounts: site.lifecycle.store.size };
    },
  };

  constructor(
    private readonly sites: Sites,
    private readonly envelopes: Envelopes,
    private readonly validators: ContractValidators,
    private readonly changed: () => void,
  ) {}

  async handle(req: ParsedRequest): Promise<Answer> {
    const name = req.path.slice(CONTROL_PREFIX.length);
    const context = req.params.get('context');
    const error = (spec: ErrorSpec) => this.envelopes.error(spec, context);
    if (req.method !== 'POST') return error({ errorCode: 400001, errorDetails: `${req.path}: send a POST request, not ${req.method}` });
    if (name === 'createSite') return this.create(context);
    const handler = Object.hasOwn(this.handlers, name) ? this.handlers[name] : undefined;
    if (!handler) {
      return error({
        errorCode: 404000,
        errorDetails: `${req.path}: no such control; there are createSite, ${Object.keys(this.handlers).join(', ')}`,
      });
    }
    const site = this.site(req.params);
    if ('errorCode' in site) return error(site);
    const result = handler(req.params, site);
    return isError(result) ? error(result) : this.envelopes.ok(result, context);
  }

  private site(params: Map<string, string>): Site | ErrorSpec {
    const apiKey = params.get('apiKey');
    if (apiKey === undefined) return { errorCode: 400002, errorDetails: 'Missing required parameter: apiKey' };
    const site = this.sites.get(apiKey);
    if (!site) return { errorCode: 400093, errorDetails: 'apiKey: not a known API key' };
    const secret = params.get('secret');
    if (secret === undefined) return { errorCode: 400002, errorDetails: 'Missing required parameter: secret' };
    if (!site.credentials.isPartnerSecret(secret)) return { errorCode: 403003, errorDetails: 'secret: not the secret of this site' };
    return site;
  }

  private create(context: string | undefined): Answer {
    let site: Site;
    try {
      site = this.sites.create();
    } catch (error) {
      if (!(error instanceof SiteFullError)) throw error;
      return this.envelopes.error({ errorCode: 403000, errorDetails: `createSite: ${error.message}` }, context);
    }
    this.changed();
    const { apiKey, secret, userKey, userSecret } = site.credentials.site;
    return this.envelopes.ok({ apiKey, secret, userKey, userSecret }, context);
  }

  private list(params: Map<string, string>, site: Site): Record<string, unknown> | ErrorSpec {
    const start = count(params, 'start', 0, 1e9);
    if (typeof start !== 'number') return start;
    const limit = count(params, 'limit', 1000, LIST_LIMIT);
    if (typeof limit !== 'number') return limit;
    const accounts: AccountRecord[] = [];
    let index = 0;
    for (const account of site.lifecycle.store.all()) {
      if (index >= start + limit) break;
      if (index++ >= start) accounts.push(recordOf(account));
    }
    return { total: site.lifecycle.store.size, start, accounts };
  }

  private load(params: Map<string, string>, site: Site): Record<string, unknown> | ErrorSpec {
    const text = params.get('accounts');
    if (text === undefined) return { errorCode: 400002, errorDetails: 'Missing required parameter: accounts' };
    const records = readAccountList(text, this.validators, 'accounts');
    if ('errorCode' in records) return records;
    try {
      site.replace(records.accounts);
    } catch (error) {
      if (error instanceof RecordError) return { errorCode: 400006, errorDetails: error.message };
      throw error;
    }
    this.changed();
    return { accounts: site.lifecycle.store.size };
  }
}

/** JSON text of an account list (`{"accounts": [...]}` or the array alone), checked against the contract's MockAccountList. */
function readAccountList(text: string, validators: ContractValidators, at: string): { accounts: AccountRecord[] } | ErrorSpec {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { errorCode: 400004, errorDetails: `${at}: not valid JSON text` };
  }
  const list = Array.isArray(value) ? value : (value as { accounts?: unknown } | null)?.accounts;
  const validate = validators.component('MockAccountList');
  if (!validate(list)) {
    const first = ajvProblems(validate.errors, [at])[0];
    const where = first?.missing ? [...first.path, first.missing].join('.') : (first?.path.join('.') ?? at);
    return { errorCode: 400006, errorDetails: `${where}: ${first?.missing ? 'is required' : (first?.message ?? 'is not valid')}` };
  }
  return { accounts: list as AccountRecord[] };
}
