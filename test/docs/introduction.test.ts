// The worked signature examples in the docs' introduction are figures a reader will copy and check their
// own code against, so every figure is recomputed here from the other figures of the same example.
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { parse } from 'yaml';
import { buildBaseString, createUIDSignature, signRequest, validateUIDSignature } from '../../src/index.js';
import { javaSdkVector } from '../helpers/signature-fixtures.js';

const introduction = readFileSync(new URL('../../openapi/introduction.md', import.meta.url), 'utf8');
const contract = parse(readFileSync(new URL('../../generated/openapi.yaml', import.meta.url), 'utf8'));

/** The text of the section that starts with the heading, up to the next heading of the same level. */
function section(heading: string): string {
  const level = heading.split(' ')[0]!;
  const start = introduction.indexOf(`\n${heading}\n`);
  expect(start, `heading "${heading}" in openapi/introduction.md`).toBeGreaterThan(-1);
  const rest = introduction.slice(start + heading.length + 2);
  const end = rest.search(new RegExp(`^${level} `, 'm'));
  return end === -1 ? rest : rest.slice(0, end);
}

/** The `name  value` lines of the first fenced block under the heading, as a map (order kept). */
function workedExample(heading: string): Map<string, string> {
  const start = introduction.indexOf(`\n## ${heading}\n`);
  expect(start, `heading "## ${heading}" in openapi/introduction.md`).toBeGreaterThan(-1);
  const block = /```text\n([\s\S]*?)\n```/.exec(introduction.slice(start));
  expect(block, `a \`\`\`text block under "## ${heading}"`).not.toBeNull();
  const figures = new Map<string, string>();
  for (const line of block![1]!.split('\n')) {
    const match = /^(\S+(?: \S+)*?) {2,}(\S.*)$/.exec(line);
    expect(match, `"${line}" is a "name  value" line`).not.toBeNull();
    figures.set(match![1]!, match![2]!);
  }
  return figures;
}

function figure(figures: Map<string, string>, name: string): string {
  const value = figures.get(name);
  expect(value, `the figure "${name}"`).toBeDefined();
  return value!;
}

// Gigya's primitive, written out independently of src/: Base64(HMAC-SHA1(Base64Decode(secret), UTF-8(base))).
function sign(secret: string, base: string): string {
  return createHmac('sha1', Buffer.from(secret, 'base64')).update(base, 'utf8').digest('base64');
}

// RFC 3986: only A-Z a-z 0-9 - _ . ~ stay; encodeURIComponent also leaves !'()* alone.
function encode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function normalizeUrl(url: string): string {
  const parsed = new URL(url);
  const port = parsed.port && !['80', '443'].includes(parsed.port) ? `:${parsed.port}` : '';
  return `${parsed.protocol}//${parsed.hostname}${port}${parsed.pathname}`;
}

function parameterString(params: Record<string, string>): string {
  return Object.keys(params)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .map((key) => `${key}=${encode(params[key]!)}`)
    .join('&');
}

function requestBaseString(method: string, url: string, params: Record<string, string>): string {
  return `${method.toUpperCase()}&${encode(normalizeUrl(url))}&${encode(parameterString(params))}`;
}

describe('the signature recipe the introduction teaches', () => {
  test('reproduces published vectors, so the checks below rest on the right algorithm', () => {
    // gigya-java-sdk SigUtilsTest (OAuth 1 base string and signature).
    const java = javaSdkVector.params;
    const javaSecret = javaSdkVector.secret;
    expect(sign(javaSecret, requestBaseString('post', 'http://photos.example.net/photos', java))).toBe(javaSdkVector.sig);
    expect(requestBaseString('POST', 'http://photos.example.net:8080/photos', java)).toBe(
      'POST&http%3A%2F%2Fphotos.example.net%3A8080%2Fphotos&file%3Dvacation.jpg%26oauth_consumer_key%3Dtest-consumer-secret%26oauth_nonce%3Dkllo9940pd9333jh%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1191242096%26oauth_token%3Dtest-token-secret%26oauth_version%3D1.0%26size%3Doriginal',
    );
    // gigya-android-sdk AuthUtilsTest: upper-case `ApiKey` sorts first.
    const android = { ApiKey: 'someApiKey', timestamp: '1545905337', nonce: '1545905337000_1' };
    expect(sign('asda34asfasfj9fuas', requestBaseString('POST', 'https://sociallize.us1.gigya.com/socialize.getSDKConfig', android))).toBe(
      'nC69hzGbTdPW3WlUl6k0ZeCd0CY=',
    );
    // graze/gigya-client SignatureTest: a UID signature, base "<timestamp>_<uid>".
    expect(sign('jkl234h53k2', '23456754_908dsf7g68d9')).toBe('AzKUa+6a2+27Oqxu0nDksvDdjLI=');
  });
});

describe('worked examples in openapi/introduction.md', () => {
  test('UIDSig: base string and signature follow from the secret, UIDTimestamp and siteUID', () => {
    const figures = workedExample('Worked example: UIDSig');
    const base = `${figure(figures, 'UIDTimestamp')}_${figure(figures, 'siteUID')}`;
    expect(figure(figures, 'base string')).toBe(base);
    expect(figure(figures, 'UIDSig')).toBe(sign(figure(figures, 'secret'), base));
  });

  test('UIDSignature: base string and signature follow from the secret, signatureTimestamp and UID', () => {
    const figures = workedExample('Worked example: checking UIDSignature');
    const base = `${figure(figures, 'signatureTimestamp')}_${figure(figures, 'UID')}`;
    expect(figure(figures, 'base string')).toBe(base);
    expect(figure(figures, 'UIDSignature')).toBe(sign(figure(figures, 'secret'), base));
  });

  test('signed request: parameter string, base string and sig follow from the method, URL, secret and parameters', () => {
    const figures = workedExample('Worked example: a signed request');
    const notParameters = new Set(['method', 'URL', 'secret', 'parameter string', 'base string', 'sig']);
    const params = Object.fromEntries([...figures].filter(([name]) => !notParameters.has(name)));
    // The example must show what makes a request signed, and a value that needs encoding twice.
    expect(Object.keys(params)).toEqual(expect.arrayContaining(['apiKey', 'timestamp', 'nonce']));
    expect(Object.values(params).some((value) => encode(value) !== value)).toBe(true);

    expect(figure(figures, 'parameter string')).toBe(parameterString(params));
    const base = requestBaseString(figure(figures, 'method'), figure(figures, 'URL'), params);
    expect(figure(figures, 'base string')).toBe(base);
    expect(figure(figures, 'sig')).toBe(sign(figure(figures, 'secret'), base));
  });
});

describe('the package helpers the introduction points to', () => {
  test('give the figures of each worked example', async () => {
    const uidSig = workedExample('Worked example: UIDSig');
    expect(
      await createUIDSignature({
        secret: figure(uidSig, 'secret'),
        siteUID: figure(uidSig, 'siteUID'),
        timestamp: figure(uidSig, 'UIDTimestamp'),
      }),
    ).toEqual({ UIDSig: figure(uidSig, 'UIDSig'), UIDTimestamp: figure(uidSig, 'UIDTimestamp') });

    const check = workedExample('Worked example: checking UIDSignature');
    const answer = {
      secret: figure(check, 'secret'),
      UID: figure(check, 'UID'),
      UIDSignature: figure(check, 'UIDSignature'),
      signatureTimestamp: figure(check, 'signatureTimestamp'),
    };
    const signedAt = Number(answer.signatureTimestamp);
    expect(await validateUIDSignature({ ...answer, now: signedAt + 60 })).toBe(true);
    expect(await validateUIDSignature({ ...answer, now: signedAt + 181 })).toBe(false);

    const request = workedExample('Worked example: a signed request');
    const notParameters = new Set(['method', 'URL', 'secret', 'parameter string', 'base string', 'sig']);
    const params = Object.fromEntries([...request].filter(([name]) => !notParameters.has(name)));
    const input = { method: figure(request, 'method'), url: figure(request, 'URL'), params };
    expect(buildBaseString(input)).toBe(figure(request, 'base string'));
    expect(await signRequest({ ...input, secret: figure(request, 'secret') })).toBe(figure(request, 'sig'));
  });
});

describe('the introduction agrees with the contract', () => {
  test("its data-center table lists exactly the hosts of the contract's servers", () => {
    const documented = [...section('# Data centers').matchAll(/^\| `[a-z0-9]+` \| `([^`]+)` \|/gm)].map((m) => m[1]);
    const servers: Array<{ url: string; variables?: Record<string, { enum?: string[] }> }> = contract.servers;
    const hosts = servers
      .filter((server) => server.variables)
      .flatMap((server) =>
        Object.entries(server.variables!).reduce<string[]>(
          (urls, [name, variable]) => urls.flatMap((url) => (variable.enum ?? []).map((value) => url.replace(`{${name}}`, value))),
          [server.url],
        ),
      )
      .map((url) => new URL(url).host);
    expect(documented.length).toBeGreaterThan(5);
    expect([...documented].sort()).toEqual([...new Set(hosts)].sort());
  });

  test("every error code it explains is in the contract's ErrorCode catalogue", () => {
    const rows = [...section('## Error codes').matchAll(/^\| (`\d+`(?:, `\d+`)*) \|/gm)];
    const codes = rows.flatMap((row) => [...row[1]!.matchAll(/\d+/g)].map((m) => Number(m[0])));
    expect(codes.length).toBeGreaterThan(10);
    const catalogue: number[] = contract.components.schemas.ErrorCode.anyOf[0].enum;
    expect(codes.filter((code) => !catalogue.includes(code))).toEqual([]);
  });

  test("its error answer is a well-formed envelope whose statusCode is the code's first three digits", () => {
    const json = /```json\n([\s\S]*?)\n```/.exec(section('# Errors'));
    expect(json).not.toBeNull();
    const answer = JSON.parse(json![1]!);
    expect(contract.components.schemas.ErrorCode.anyOf[0].enum).toContain(answer.errorCode);
    expect(answer.statusCode).toBe(Number(String(answer.errorCode).slice(0, 3)));
    expect(answer).toEqual(expect.objectContaining({ errorMessage: expect.any(String), callId: expect.stringMatching(/^[0-9a-f]{32}$/) }));
  });
});
