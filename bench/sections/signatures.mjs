// Signatures: operations per second of the package's Web Crypto helpers beside node:crypto's HMAC-SHA1
// on the very same message, which is as fast as an HMAC gets in Node (the ceiling).
import { createHmac, webcrypto } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { interleave, pairedRatio, summary } from '../lib/stats.mjs';
import { ratio, spread, table } from '../lib/format.mjs';
import { root } from '../lib/proc.mjs';

// A made-up partner secret (Base64 of 16 bytes, as the console shows them) and realistic inputs.
const SECRET = 'AAECAwQFBgcICQoLDA0ODw==';
const KEY = Buffer.from(SECRET, 'base64');
const SITE_UID = 'site-user-42';
const TIMESTAMP = 1700000000;
const URL_ = 'https://socialize.us1.gigya.com/socialize.notifyLogin';
const PARAMS = {
  apiKey: '3_ABCdefGHIjklMNOpqrSTUvwxYZ0123456789',
  siteUID: SITE_UID,
  format: 'json',
  timestamp: String(TIMESTAMP),
  nonce: '1700000000000_k2j3h4g5f6d7',
  userKey: 'AH9b2kQx7',
};

// Counts calls of `fn` (awaited when `async`) until `sliceMs` has passed; returns calls per second.
async function opsPerSecond(fn, isAsync, sliceMs) {
  let calls = 0;
  const started = performance.now();
  let elapsed = 0;
  do {
    if (isAsync) for (let i = 0; i < 50; i++) await fn();
    else for (let i = 0; i < 50; i++) fn();
    calls += 50;
    elapsed = performance.now() - started;
  } while (elapsed < sliceMs);
  return (calls / elapsed) * 1000;
}

const entry = (file) => import(pathToFileURL(join(root, 'packages', 'contract', 'dist', 'src', file)).href);

/** Runs the section; returns its printable text. */
export async function run({ quick }) {
  // The package's two entries: "node" (node:crypto) and "default" (Web Crypto), same API.
  const entries = { 'node:crypto entry': await entry('index.node.js'), 'Web Crypto entry': await entry('index.js') };
  const { buildBaseString } = entries['node:crypto entry'];
  const uidMessage = `${TIMESTAMP}_${SITE_UID}`;
  const baseString = buildBaseString({ method: 'POST', url: URL_, params: PARAMS });
  const key = await webcrypto.subtle.importKey('raw', KEY, { name: 'HMAC', hash: 'SHA-1' }, false, ['sign']);
  const baseBytes = new TextEncoder().encode(baseString);
  const expectUid = createHmac('sha1', KEY).update(uidMessage).digest('base64');
  const expectSig = createHmac('sha1', KEY).update(baseString).digest('base64');
  const validation = { secret: SECRET, UID: SITE_UID, UIDSignature: expectUid, signatureTimestamp: TIMESTAMP, now: TIMESTAMP };

  const UID_CEILING = 'node:crypto HMAC, UID message';
  const BASE_CEILING = 'node:crypto HMAC, request base string';
  const contenders = [
    { name: UID_CEILING, ceiling: UID_CEILING, async: false, fn: () => createHmac('sha1', KEY).update(uidMessage).digest('base64') },
    { name: BASE_CEILING, ceiling: BASE_CEILING, async: false, fn: () => createHmac('sha1', KEY).update(baseString).digest('base64') },
    { name: 'Web Crypto sign alone, request base string', ceiling: BASE_CEILING, async: true, fn: () => webcrypto.subtle.sign('HMAC', key, baseBytes) },
  ];
  for (const [label, api] of Object.entries(entries)) {
    // Every helper must agree with node:crypto before its speed means anything.
    const uid = await api.createUIDSignature({ secret: SECRET, siteUID: SITE_UID, timestamp: TIMESTAMP });
    const sig = await api.signRequest({ secret: SECRET, method: 'POST', url: URL_, params: PARAMS });
    if (uid.UIDSig !== expectUid || sig !== expectSig || (await api.validateUIDSignature(validation)) !== true) {
      throw new Error(`the ${label}'s signature helpers disagree with node:crypto: benchmark aborted`);
    }
    contenders.push(
      { name: `createUIDSignature, ${label}`, ceiling: UID_CEILING, async: true, fn: () => api.createUIDSignature({ secret: SECRET, siteUID: SITE_UID, timestamp: TIMESTAMP }) },
      { name: `validateUIDSignature, ${label}`, ceiling: UID_CEILING, async: true, fn: () => api.validateUIDSignature(validation) },
      { name: `signRequest, ${label}`, ceiling: BASE_CEILING, async: true, fn: () => api.signRequest({ secret: SECRET, method: 'POST', url: URL_, params: PARAMS }) },
    );
  }
  const sliceMs = quick ? 40 : 200;
  const rounds = quick ? 2 : 11;
  for (const c of contenders) await opsPerSecond(c.fn, c.async, sliceMs); // warm-up, discarded
  const samples = await interleave(rounds, contenders, (c) => opsPerSecond(c.fn, c.async, sliceMs));
  const rows = contenders.map((c) => [
    c.name,
    spread(summary(samples.get(c.name))),
    ratio(pairedRatio(samples.get(c.name), samples.get(c.ceiling)), c.ceiling === c.name),
    c.ceiling === c.name || !c.name.includes('entry') ? '' : pairedRatio(samples.get(c.name), samples.get(c.ceiling)).median >= 0.5 ? 'meets ≥0.5×' : 'MISSES ≥0.5×',
  ]);
  return [
    `${rounds} interleaved rounds of ${sliceMs} ms per contender; calls awaited one after another (the helpers return promises on both entries).`,
    `UID message: "${uidMessage}" (${uidMessage.length} B); request base string: ${baseString.length} B (notifyLogin, 6 parameters).`,
    '',
    table(['operation', 'ops/s median (min–max)', '÷ node:crypto HMAC, same input', 'goal (node:crypto entry)'], rows),
    '',
    `Each helper validates its input, decodes the secret (cached key), builds the message and computes the HMAC:`,
    `the node:crypto entry (package.json's "node" condition) synchronously inside an async function, the Web Crypto`,
    `entry ("default") through crypto.subtle's promise-based sign/verify.`,
  ].join('\n');
}
