// The stand-in gigya.js checks a page's params with its own small checker over the schemas the mock
// embeds. Here the very script the mock serves runs in a bare JavaScript context (node:vm, with a stand-in
// window, fetch and popup), and for random params of each method its verdict (a parameter error through
// the callback, or a call to the REST method / a login started) is held to Ajv's on the contract's
// WebSdk*Params schema. `format` is left out of Ajv's check: the script leaves it to the REST method.
import { fileURLToPath } from 'node:url';
import { runInNewContext } from 'node:vm';
import { Ajv2020 } from 'ajv/dist/2020.js';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { loadContract } from '../../src/mock/contract.js';
import { webSdkScript } from '../../src/mock/web-sdk/route.js';
import { contract } from '../contract/contract-helpers.js';

const loaded = loadContract(fileURLToPath(new URL('../../generated/openapi.yaml', import.meta.url)));
const script = webSdkScript(loaded)({ apiKey: '3_checkerSuite' });
const PARAM_ERRORS = new Set([400002, 400006, 403007]);

type Outcome = { kind: 'error'; errorCode: number; errorDetails: string } | { kind: 'called' };

/** The served script in a fresh context; `run` makes one call and resolves with what it led to. */
function standIn() {
  let settle: ((outcome: Outcome) => void) | undefined;
  const called = () => settle?.({ kind: 'called' });
  const sandbox: Record<string, unknown> = {
    location: Object.assign(new URL('http://127.0.0.1:3000/'), { assign: called }),
    document: { currentScript: { src: 'http://127.0.0.1:4010/js/gigya.js' } },
    console: { info() {}, warn() {}, error() {} },
    sessionStorage: { getItem: () => null, setItem() {} },
    crypto: globalThis.crypto,
    URL,
    URLSearchParams,
    AbortController,
    setTimeout,
    clearTimeout,
    setInterval,
    clearInterval,
    fetch: () => {
      called();
      return new Promise(() => {});
    },
    open: () => {
      called();
      return null;
    },
    addEventListener() {},
    removeEventListener() {},
  };
  sandbox.window = sandbox;
  runInNewContext(script, sandbox);
  const gigya = sandbox.gigya as { socialize: Record<string, (params: unknown) => void> };
  return (method: string, params: Record<string, unknown>) =>
    new Promise<Outcome>((resolve) => {
      settle = resolve;
      gigya.socialize[method]!({
        ...params,
        callback: (r: { errorCode: number; errorDetails: string }) =>
          resolve(PARAM_ERRORS.has(r.errorCode) ? { kind: 'error', errorCode: r.errorCode, errorDetails: r.errorDetails } : { kind: 'called' }),
      });
    });
}

const ajv = new Ajv2020({ strict: false, allErrors: false, validateFormats: false });
ajv.addSchema({ ...contract, $id: 'contract' });

// Values that are right for some parameters and wrong for others.
const values = fc.constantFrom<unknown>(
  'u1',
  'site-user-42',
  'José',
  'a'.repeat(253),
  '',
  '1700000000',
  '17e8',
  'jNQkbuGO6L9nVa0Nt9T6aPlosYQ=',
  'facebook',
  'saml-corp',
  'myspace',
  'popup',
  'redirect',
  'https://example.com/done',
  '/done',
  'get',
  'post',
  'put',
  'profile,data',
  'profile,all',
  'languages, likes',
  'wallet',
  'standard',
  'link',
  'c'.repeat(101),
  '{"firstName":"D"}',
  0,
  -1,
  -2,
  -3,
  3600,
  1.5,
  true,
  false,
  null,
  [],
  ['a'],
  { facebook: { authToken: 't' } },
  { myspace: { authToken: 't' } },
  {},
  { firstName: 'David', age: 30 },
  { age: 'x' },
  { 'tv-show': 'glee' },
  { a: 1 },
);

const methods = {
  setUID: 'WebSdkSetUIDParams',
  notifyRegistration: 'WebSdkNotifyRegistrationParams',
  notifyLogin: 'WebSdkNotifyLoginParams',
  login: 'WebSdkLoginParams',
} as const;

describe.each(Object.entries(methods))('gigya.socialize.%s', (method, schema) => {
  const validate = ajv.compile({ $ref: `contract#/components/schemas/${schema}` });
  const names = [...Object.keys(contract.components.schemas[schema].properties).filter((n) => n !== 'callback'), 'unknownParam'];
  const some = (max: number) =>
    fc
      .subarray(names, { minLength: 0, maxLength: max })
      .chain((keys) => fc.tuple(...keys.map(() => values)).map((vals) => Object.fromEntries(keys.map((k, i) => [k, vals[i]]))));
  // Random params, and the schema's valid example with up to two members changed (so that both verdicts
  // are well represented).
  const example = contract.components.schemas[schema].example as Record<string, unknown>;
  const params = fc.oneof(
    some(6),
    some(2).map((changes) => ({ ...example, ...changes })),
  );

  test("accepts exactly the params the contract's schema accepts, and names the parameter it refuses", async () => {
    const run = standIn();
    await fc.assert(
      fc.asyncProperty(params, async (p) => {
        const outcome = await run(method, p);
        const valid = validate(p);
        expect(outcome.kind, `${JSON.stringify(p)} → ${JSON.stringify(outcome)}; Ajv: ${JSON.stringify(validate.errors)}`).toBe(
          valid ? 'called' : 'error',
        );
        if (outcome.kind === 'error') expect(outcome.errorDetails).toMatch(/^[A-Za-z.0-9-]+: |^Missing required parameter: [A-Za-z]+/);
      }),
      { numRuns: 400 },
    );
    // Both verdicts occurred often enough for the comparison to mean something.
    const sample = fc.sample(params, { numRuns: 400, seed: 1 });
    const accepted = sample.filter((p) => validate(p)).length;
    expect(accepted).toBeGreaterThan(40);
    expect(sample.length - accepted).toBeGreaterThan(40);
  });
});
