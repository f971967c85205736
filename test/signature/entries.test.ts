// The package's two entries, "node" (index.node.ts, node:crypto) and "default" (index.ts, Web Crypto):
// the same names, the helpers that compute an HMAC really different functions, and Node resolving the
// package by name to the node:crypto one (the built package, through package.json's exports).
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';
import * as webCrypto from '../../src/index.js';
import * as nodeCrypto from '../../src/index.node.js';

// The client is not among them: it signs its calls with its own HMAC (src/hmac-sha1.ts) on both entries.
const HMAC_HELPERS = [
  'createUIDSignature',
  'hmacSha1',
  'parseLoginRedirect',
  'signRequest',
  'validateFriendSignature',
  'validateUIDSignature',
  'verifyHmacSha1',
] as const;

test('both entries export the same names', () => {
  expect(Object.keys(nodeCrypto).sort()).toEqual(Object.keys(webCrypto).sort());
});

test('the helpers that compute an HMAC are bound to different backends; the rest are shared', () => {
  const nodeHelpers = new Map(Object.entries(nodeCrypto));
  for (const [name, webHelper] of Object.entries(webCrypto)) {
    if ((HMAC_HELPERS as readonly string[]).includes(name)) expect(nodeHelpers.get(name), name).not.toBe(webHelper);
    else expect(nodeHelpers.get(name), name).toBe(webHelper);
  }
});

test('Node resolves the package by name to the node:crypto entry', () => {
  const script =
    "const m = await import('gigya-socialize-contract');" + "process.stdout.write(String(String(m.createUIDSignature).includes('nodeCryptoHmac')))";
  const printed = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    cwd: fileURLToPath(new URL('.', import.meta.url)),
    encoding: 'utf8',
  });
  expect(printed).toBe('true');
});
