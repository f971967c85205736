// Signatures: operations per second of the package's Web Crypto helpers beside node:crypto's HMAC-SHA1
// on the very same message, which is as fast as an HMAC gets in Node (the ceiling).
import { createHmac, webcrypto } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { interleave, pairedRatio, summary } from '../lib/stats.mjs';
import { num, ratio, spread, table } from '../lib/format.mjs';
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

/** Runs the section; returns its printable text. */
export async function run({ quick }) {
  const { createUIDSignature, signRequest, buildBaseString } = await import(
    pathToFileURL(join(root, 'packages', 'contract', 'dist', 'src', 'signature.js')).href
  );
  const uidMessage = `${TIMESTAMP}_${SITE_UID}`;
  const baseString = buildBaseString({ method: 'POST', url: URL_, params: PARAMS });
  const key = await webcrypto.subtle.importKey('raw', KEY, { name: 'HMAC', hash: 'SHA-1' }, false, ['sign']);
  const baseBytes = new TextEncoder().encode(baseString);

  // Every helper must agree with node:crypto before its speed means anything.
  const expectUid = createHmac('sha1', KEY).update(uidMessage).digest('base64');
  const gotUid = await createUIDSignature({ secret: SECRET, siteUID: SITE_UID, timestamp: TIMESTAMP });
  const expectSig = createHmac('sha1', KEY).update(baseString).digest('base64');
  const gotSig = await signRequest({ secret: SECRET, method: 'POST', url: URL_, params: PARAMS });
  if (gotUid.UIDSig !== expectUid || gotSig !== expectSig) {
    throw new Error('the signature helpers disagree with node:crypto: benchmark aborted');
  }

  const contenders = [
    {
      name: 'createUIDSignature',
      async: true,
      fn: () => createUIDSignature({ secret: SECRET, siteUID: SITE_UID, timestamp: TIMESTAMP }),
    },
    { name: 'node:crypto HMAC, UID message', async: false, fn: () => createHmac('sha1', KEY).update(uidMessage).digest('base64') },
    { name: 'signRequest', async: true, fn: () => signRequest({ secret: SECRET, method: 'POST', url: URL_, params: PARAMS }) },
    {
      name: 'node:crypto HMAC, request base string',
      async: false,
      fn: () => createHmac('sha1', KEY).update(baseString).digest('base64'),
    },
    {
      name: 'Web Crypto sign, request base string',
      async: true,
      fn: () => webcrypto.subtle.sign('HMAC', key, baseBytes),
    },
  ];
  const sliceMs = quick ? 40 : 200;
  const rounds = quick ? 2 : 15;
  for (const c of contenders) await opsPerSecond(c.fn, c.async, sliceMs); // warm-up, discarded
  const samples = await interleave(rounds, contenders, (c) => opsPerSecond(c.fn, c.async, sliceMs));

  const ceilingOf = {
    createUIDSignature: 'node:crypto HMAC, UID message',
    'node:crypto HMAC, UID message': 'node:crypto HMAC, UID message',
    signRequest: 'node:crypto HMAC, request base string',
    'node:crypto HMAC, request base string': 'node:crypto HMAC, request base string',
    'Web Crypto sign, request base string': 'node:crypto HMAC, request base string',
  };
  const rows = contenders.map((c) => [
    c.name,
    spread(summary(samples.get(c.name))),
    ratio(pairedRatio(samples.get(c.name), samples.get(ceilingOf[c.name])), ceilingOf[c.name] === c.name),
  ]);
  return [
    `${rounds} interleaved rounds of ${sliceMs} ms per contender; calls awaited one after another.`,
    `UID message: "${uidMessage}" (${uidMessage.length} B); request base string: ${baseString.length} B (notifyLogin, 6 parameters).`,
    '',
    table(['operation', 'ops/s median (min–max)', '÷ node:crypto HMAC, same input'], rows),
    '',
    `The package's helpers validate their input, decode the secret (cached key), build the message and go through`,
    `Web Crypto's promise-based sign; "Web Crypto sign" is that last step alone (key already imported): ` +
      `${num(summary(samples.get('Web Crypto sign, request base string')).median)} ops/s.`,
  ].join('\n');
}
