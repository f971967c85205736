// Signatures: operations per second of the package's helpers (both entries) and of the mock's own signing
// beside node:crypto's HMAC-SHA1 on the very same message, which is as fast as an HMAC gets in Node (the ceiling).
import { createHmac, webcrypto } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { median, pairedRatio, summary } from '../lib/stats.mjs';
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

// Times one batch of 50 calls of `fn` (awaited when `async`); returns milliseconds per call.
async function batch(fn, isAsync) {
  const started = performance.now();
  if (isAsync) for (let i = 0; i < 50; i++) await fn();
  else for (let i = 0; i < 50; i++) fn();
  return (performance.now() - started) / 50;
}

// Alternates batches of `a` and `b` (`a` first on even slices) for `sliceMs`; returns each one's calls per
// second from its median batch. A batch lasts tens of microseconds (a few milliseconds for Web Crypto), so
// most batches run without the scheduler handing the core to other work, and the median batch is one of
// them: on a shared machine the median measures the code, the mean would measure the load. And the two
// sides alternate batch by batch, so whatever slows the machine down slows both alike.
async function pairSlice(a, b, sliceMs, flip) {
  const times = new Map([[a, []], [b, []]]);
  const order = flip ? [b, a] : [a, b];
  const started = performance.now();
  do for (const c of order) times.get(c).push(await batch(c.fn, c.async));
  while (performance.now() - started < sliceMs);
  return [a, b].map((c) => 1000 / median(times.get(c)));
}

// Each round measures every contender (in an order rotated per round) in a slice shared with its own
// reference; a ratio divides rates measured in the same slice. Returns, per contender, its samples and the
// reference samples paired with them (a reference's own samples are all its slices).
async function pairedRounds(rounds, contenders, sliceMs) {
  const measured = contenders.filter((c) => c.ceiling !== c.name);
  const byName = new Map(contenders.map((c) => [c.name, c]));
  const samples = new Map(contenders.map((c) => [c.name, { own: [], ref: [] }]));
  for (let round = 0; round < rounds; round++) {
    for (let k = 0; k < measured.length; k++) {
      const c = measured[(round + k) % measured.length];
      const ref = byName.get(c.ceiling);
      const [own, refRate] = await pairSlice(c, ref, sliceMs, (round + k) % 2 === 1);
      samples.get(c.name).own.push(own);
      samples.get(c.name).ref.push(refRate);
      samples.get(ref.name).own.push(refRate);
    }
  }
  return samples;
}

const entry = (file) => import(pathToFileURL(join(root, 'packages', 'contract', 'dist', 'src', file)).href);

// The mock's own signing: the UIDSignature it puts in notifyLogin and login answers (CredentialChecker.signUID
// in src/mock/credentials.ts, which signs through this package's hmacSha1 as Node resolves it). signUID
// keeps the signatures it made for a timestamp, so every call signs a UID it has not seen for that
// timestamp (as a mock serving many users does): 100,000 UIDs as long as SITE_UID, then the next second.
// The message is as long as the reference's; an HMAC's cost does not depend on the bytes.
async function mockSigning(expectUid) {
  const { CredentialChecker } = await import(pathToFileURL(join(root, 'packages', 'mock', 'dist', 'credentials.js')).href);
  const checker = new CredentialChecker({ apiKey: PARAMS.apiKey, secret: SECRET, userKey: PARAMS.userKey, userSecret: SECRET });
  if ((await checker.signUID(SITE_UID, TIMESTAMP)) !== expectUid) throw new Error("the mock's signUID disagrees with node:crypto: benchmark aborted");
  const uids = Array.from({ length: 100_000 }, (_, i) => `site-u${String(i).padStart(6, '0')}`);
  if (uids[0].length !== SITE_UID.length) throw new Error('mock signing: the UIDs must be as long as SITE_UID');
  let next = 0;
  let second = TIMESTAMP + 1;
  const sign = () => {
    if (next === uids.length) [next, second] = [0, second + 1];
    return checker.signUID(uids[next++], second);
  };
  const probe = uids.length - 1; // a UID this run reaches late, checked against node:crypto at the end
  return { sign, check: async () => (await checker.signUID(uids[probe], TIMESTAMP)) === createHmac('sha1', KEY).update(`${TIMESTAMP}_${uids[probe]}`).digest('base64') };
}

// The contenders: the two references (node:crypto's HMAC called directly, synchronously), then every
// helper on both entries and the mock's signing, each divided by the reference over the same input.
async function contendersFor() {
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

  const UID = 'node:crypto HMAC, UID message';
  const BASE = 'node:crypto HMAC, request base string';
  const contenders = [
    { name: UID, ceiling: UID, async: false, fn: () => createHmac('sha1', KEY).update(uidMessage).digest('base64') },
    { name: BASE, ceiling: BASE, async: false, fn: () => createHmac('sha1', KEY).update(baseString).digest('base64') },
    { name: 'Web Crypto sign alone, request base string', ceiling: BASE, async: true, fn: () => webcrypto.subtle.sign('HMAC', key, baseBytes) },
  ];
  for (const [label, api] of Object.entries(entries)) {
    // Every helper must agree with node:crypto before its speed means anything.
    const uid = await api.createUIDSignature({ secret: SECRET, siteUID: SITE_UID, timestamp: TIMESTAMP });
    const sig = await api.signRequest({ secret: SECRET, method: 'POST', url: URL_, params: PARAMS });
    if (uid.UIDSig !== expectUid || sig !== expectSig || (await api.validateUIDSignature(validation)) !== true) {
      throw new Error(`the ${label}'s signature helpers disagree with node:crypto: benchmark aborted`);
    }
    const goal = label === 'node:crypto entry';
    contenders.push(
      { name: `createUIDSignature, ${label}`, ceiling: UID, async: true, goal, fn: () => api.createUIDSignature({ secret: SECRET, siteUID: SITE_UID, timestamp: TIMESTAMP }) },
      { name: `validateUIDSignature, ${label}`, ceiling: UID, async: true, goal, fn: () => api.validateUIDSignature(validation) },
      { name: `signRequest, ${label}`, ceiling: BASE, async: true, goal, fn: () => api.signRequest({ secret: SECRET, method: 'POST', url: URL_, params: PARAMS }) },
    );
  }
  const mock = await mockSigning(expectUid);
  contenders.push({ name: 'mock signUID (src/mock/credentials.ts)', ceiling: UID, async: true, goal: true, fn: mock.sign });
  return { contenders, uidMessage, baseString, checkMock: mock.check };
}

/** Runs the section; returns its printable text. */
export async function run({ quick }) {
  const { contenders, uidMessage, baseString, checkMock } = await contendersFor();
  const sliceMs = quick ? 20 : 80;
  const rounds = quick ? 2 : 15;
  for (const c of contenders) await pairSlice(c, c, sliceMs / 4, false); // warm-up, discarded
  const samples = await pairedRounds(rounds, contenders, sliceMs);
  if (!(await checkMock())) throw new Error("the mock's signUID disagrees with node:crypto: benchmark aborted");
  const of = (name, side) => samples.get(name)[side];
  const rows = contenders.map((c) => {
    const reference = c.ceiling === c.name;
    const r = pairedRatio(of(c.name, 'own'), of(c.name, 'ref'));
    return [
      c.name,
      spread(summary(of(c.name, 'own'))),
      ratio(r, reference),
      reference ? '' : !c.goal ? 'no goal (browsers)' : r.median >= 0.5 ? 'meets ≥0.5×' : 'MISSES ≥0.5×',
    ];
  });
  return [
    `${rounds} rounds; in each, every helper runs for ${sliceMs} ms in batches of 50 calls that alternate with batches of its`,
    `reference (node:crypto's HMAC on the same input, called synchronously); each side's rate comes from its median batch, the`,
    `ratio is taken within the slice, then its median (min–max) over the rounds. The helpers' calls are awaited one after another`,
    `(they return promises on both entries).`,
    `UID message: "${uidMessage}" (${uidMessage.length} B); request base string: ${baseString.length} B (notifyLogin, 6 parameters).`,
    '',
    table(['operation', 'ops/s median (min–max)', '÷ node:crypto HMAC, same input', 'goal (Node)'], rows),
    '',
    `Each helper validates its input, decodes the secret (cached key), builds the message and computes the HMAC: the`,
    `node:crypto entry (package.json's "node" condition) synchronously, its answer wrapped in a settled promise; the Web Crypto`,
    `entry ("default") through crypto.subtle's promise-based sign/verify, whose HMAC runs on a worker thread (so its figures`,
    `also measure how soon a busy machine schedules that thread). The mock signs through the package as Node resolves it`,
    `(the node:crypto entry), every call a new HMAC for a UID it has not signed yet (it keeps the signatures it made, per timestamp).`,
  ].join('\n');
}
