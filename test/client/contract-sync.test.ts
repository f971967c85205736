// The client checks a few things before sending (limits, required pairs, hosts). Those checks are written
// by hand, so this test reads the bundled contract and probes the client at each stated boundary: if the
// contract changes a limit, this fails until the client follows.
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { describe, expect, test } from 'vitest';
import { createSocializeClient, InvalidParameterError } from '../../src/index.js';

const contract = parse(readFileSync(new URL('../../generated/openapi.yaml', import.meta.url), 'utf8'));
const schemas = contract.components.schemas;
const ok = () => Response.json({ callId: '0'.repeat(32), errorCode: 0, statusCode: 200, statusReason: 'OK', time: 't', UID: 'u' });
const sent: Request[] = [];
const client = createSocializeClient({
  apiKey: '3_KEY',
  credentials: { secret: 'AAAA' },
  fetch: async (request) => {
    sent.push(request);
    return ok();
  },
});

async function refusedParameter(call: () => Promise<unknown>): Promise<string | undefined> {
  return call().then(
    () => undefined,
    (error: unknown) => (error instanceof InvalidParameterError ? error.parameter : String(error)),
  );
}

describe('limits the client checks match the contract', () => {
  test('siteUID length', async () => {
    const max = schemas.SiteUID.maxLength as number;
    expect(await refusedParameter(() => client.setUID({ UID: 'u', siteUID: 'x'.repeat(max) }))).toBeUndefined();
    expect(await refusedParameter(() => client.setUID({ UID: 'u', siteUID: 'x'.repeat(max + 1) }))).toBe('siteUID');
  });

  test('siteUID alphabet', async () => {
    const pattern = new RegExp(schemas.SiteUID.pattern as string);
    for (const value of ['plain-ascii_42', '\u007f', 'é', '日本']) {
      const refused = await refusedParameter(() => client.setUID({ UID: 'u', siteUID: value }));
      expect(refused === 'siteUID').toBe(!pattern.test(value));
    }
  });

  test('cid length and x_cid on the login URL; state has no length limit, since no source gives one', async () => {
    const max = schemas.Cid.maxLength as number;
    expect(await refusedParameter(() => client.notifyRegistration({ UID: 'u', cid: 'c'.repeat(max) }))).toBeUndefined();
    expect(await refusedParameter(() => client.notifyRegistration({ UID: 'u', cid: 'c'.repeat(max + 1) }))).toBe('cid');
    const login = contract.paths['/socialize.login'].get.parameters as Array<{ name: string; schema: { maxLength?: number } }>;
    expect(login.find((p) => p.name === 'state')!.schema.maxLength).toBeUndefined();
    const stateMax = 5000;
    const base = { x_provider: 'facebook', redirect_uri: 'https://e.test/', response_type: 'code' as const };
    expect(() => client.loginUrl({ ...base, state: 's'.repeat(stateMax), x_cid: 'c'.repeat(max) })).not.toThrow();
    expect(() => client.loginUrl({ ...base, x_cid: 'c'.repeat(max + 1) })).toThrowError(expect.objectContaining({ parameter: 'x_cid' }));
  });

  test('UIDSig and UIDTimestamp go together in every method that has them', () => {
    for (const name of ['SetUIDRequest', 'NotifyRegistrationRequest', 'NotifyLoginRequest']) {
      const own = (schemas[name].allOf as Array<Record<string, unknown>>).find((part) => 'dependentRequired' in part)!;
      expect(own.dependentRequired).toEqual({ UIDSig: ['UIDTimestamp'], UIDTimestamp: ['UIDSig'] });
    }
  });

  test('the parameters the client fills in are exactly the contract’s credentials plus format', () => {
    expect(Object.keys(schemas.Credentials.properties).sort()).toEqual(['apiKey', 'nonce', 'oauth_token', 'secret', 'sig', 'timestamp', 'userKey']);
    expect(schemas.CommonParameters.properties.format.enum).toContain('json');
  });
});

test('every data center the contract lists maps to its server URL', async () => {
  const servers = contract.servers as Array<{ url: string; variables?: Record<string, { enum: string[]; default: string }> }>;
  const gigya = servers.find((s) => s.url.includes('{dataCenter}'))!;
  const china = servers.find((s) => s.url.includes('{chinaDomain}'))!;
  const expected: Array<[string, string]> = gigya.variables!.dataCenter!.enum.map((dc) => [dc, gigya.url.replace('{dataCenter}', dc)]);
  expected.push(['cn1', china.url.replace('{chinaDomain}', china.variables!.chinaDomain!.default)]);
  for (const domain of china.variables!.chinaDomain!.enum) expected.push([`cn1.${domain}`, china.url.replace('{chinaDomain}', domain)]);
  for (const [dataCenter, url] of expected) {
    const dc = createSocializeClient({
      apiKey: 'k',
      dataCenter,
      fetch: async (request) => {
        sent.push(request);
        return ok();
      },
    });
    await dc.notifyLogin({ siteUID: 's', UIDSig: 'jNQkbuGO6L9nVa0Nt9T6aPlosYQ=', UIDTimestamp: '1700000000' });
    expect(sent.at(-1)!.url).toBe(`${url}/socialize.notifyLogin`);
  }
});
