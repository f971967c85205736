// Stages 5 and 6 of the pipeline, apply to the state and answer: each method's step of the lifecycle on
// the site's accounts (lifecycle.ts), and the answer built from the account it leaves.
import { createHash } from 'node:crypto';
import type { ErrorSpec } from './envelope.js';
import { userOf, type Changed, type Outcome, type SiteLogin } from './lifecycle.js';
import { sdkBoolean, type ParsedRequest } from './request.js';
import type { Site } from './sites.js';
import { uidOf } from './store.js';

/** What the apply stage needs of a validated, authenticated call. */
export interface Call {
  site: Site;
  request: ParsedRequest;
  /** Typed parameters (validation.ts typedParams). */
  data: Record<string, unknown>;
  /** Parsed JSON-valued fields. */
  json: Map<string, unknown>;
  /** The UID an `oauth_token` names, when the call carried one. */
  tokenUID?: string;
  nowSeconds: number;
}

export type Applied = { members: Record<string, unknown> } | { error: ErrorSpec };

const param = (call: Call, name: string) => call.request.params.get(name);

const serverCall = (call: Call) => call.request.params.has('secret') || call.request.params.has('sig');

// The account a call is about. A server call (secret or signed request) names it by UID. A call with
// UIDSig is the user's browser or app acting in the user's session (the seeds' sense of UIDSig: a fraud
// check, not a credential), so the account is the one its oauth_token names; a UID it sends is ignored.
function userUID(call: Call): string | undefined {
  return serverCall(call) ? param(call, 'UID') : call.tokenUID;
}

// The error for a call without the account's UID (userUID gave none).
function missingUID(call: Call): ErrorSpec {
  return serverCall(call)
    ? { errorCode: 400002, errorDetails: 'Missing required parameter: UID' }
    : {
        errorCode: 403005,
        errorDetails:
          "oauth_token: no user session; a call with UIDSig is made in the logged-in user's session (send that session's oauth_token), or call from your server with secret or a signed request and UID",
      };
}

function done(outcome: Outcome<Changed>): Applied {
  return 'error' in outcome ? outcome : { members: {} };
}

export function applySetUID(call: Call): Applied {
  const UID = userUID(call); // once: it looks in the form twice
  if (UID === undefined) return { error: missingUID(call) };
  return done(call.site.lifecycle.setUID(UID, param(call, 'siteUID')!));
}

export function applyNotifyRegistration(call: Call): Applied {
  const UID = userUID(call);
  if (UID === undefined) return { error: missingUID(call) };
  return done(call.site.lifecycle.notifyRegistration(UID, param(call, 'siteUID')));
}

export function applyNotifyLogin(call: Call): Applied | Promise<Applied> {
  const sessions = call.json.get('providerSessions') as Record<string, Record<string, unknown>> | undefined;
  const userInfo = call.json.get('userInfo') as Record<string, unknown> | undefined;
  const siteUID = param(call, 'siteUID');
  // Assigned, not spread from temporary objects (every notifyLogin).
  const login: SiteLogin = {};
  if (siteUID !== undefined) login.siteUID = siteUID;
  if (sessions) login.sessions = sessions;
  if (userInfo) login.userInfo = userInfo;
  const outcome = call.site.lifecycle.notifyLogin(login);
  if ('error' in outcome) return outcome;
  const UID = uidOf(outcome.ok.account);
  const provider = siteUID !== undefined || !sessions ? 'site' : Object.keys(sessions)[0]!;
  // A signature made earlier in this second comes back as text: no promise to wait for (credentials.ts).
  const signature = call.site.credentials.signUID(UID, call.nowSeconds);
  return typeof signature === 'string'
    ? notifyLoginMembers(call, outcome.ok, UID, signature, provider)
    : signature.then((text) => notifyLoginMembers(call, outcome.ok, UID, text, provider));
}

// The answer of a notifyLogin that changed `changed.account`: the signed UID, the session, the user.
function notifyLoginMembers(call: Call, { account, isNewUser }: Changed, UID: string, UIDSignature: string, provider: string): Applied {
  const { credentials } = call.site;
  const signatureTimestamp = String(call.nowSeconds);
  const user = userOf(account, provider);
  user.UIDSignature = UIDSignature;
  user.signatureTimestamp = signatureTimestamp;
  const expiration =
    typeof call.data.sessionExpiration === 'number' && call.data.sessionExpiration > 0 ? { expires_in: call.data.sessionExpiration } : {};
  const session = credentials.issueToken('session', UID);
  // Members in the order Gigya lists them; assigned one by one rather than spread (every notifyLogin answer).
  const members: Record<string, unknown> = { UID, UIDSignature, signatureTimestamp };
  if (isNewUser) members.isNewUser = true;
  if (param(call, 'targetEnv') === 'mobile') {
    const sessionSecret = createHash('sha256').update(`${session}\0secret`).digest().subarray(0, 20).toString('base64');
    members.sessionInfo = { sessionToken: session, sessionSecret, ...expiration };
  } else {
    members.cookieName = `glt_${credentials.site.apiKey}`;
    members.cookieValue = session;
    members.cookiePath = '/';
  }
  members.user = user;
  return { members };
}

/** The query of the login redirect: the account's UID, signed, with the identity's fields. */
export async function loginResult(call: Call, changed: Changed, provider: string): Promise<URLSearchParams> {
  const { account, isNewUser } = changed;
  const { credentials } = call.site;
  const UID = uidOf(account);
  const identity = account.identities.find((i) => i.provider === provider);
  const result = new URLSearchParams({
    UID,
    UIDSignature: await credentials.signUID(UID, call.nowSeconds),
    signatureTimestamp: String(call.nowSeconds),
    loginProvider: provider,
    loginProviderUID: identity?.providerUID ?? '',
    provider,
    nickname: String(account.profile.nickname ?? 'Mock User'),
  });
  if (isNewUser) result.set('isNewUser', 'true');
  if (param(call, 'response_type') === 'code') result.set('code', credentials.issueToken('token', UID).split('.')[2]!);
  else {
    result.set('access_token', credentials.issueToken('token', UID));
    result.set('expires_in', '3600');
  }
  const state = param(call, 'state');
  if (state !== undefined) result.set('state', state);
  return result;
}

/** `finalizeRegistration` as the SDKs spell booleans (validated before). */
export function finalizes(call: Call): boolean {
  return sdkBoolean(param(call, 'finalizeRegistration')) === true;
}
