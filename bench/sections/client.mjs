// Client: per-call time of the typed client beside raw fetch sending the very same request to the same
// loopback server, and the bundle size (minified, gzipped) of the client with everything it imports,
// beside openapi-fetch alone and the third-party `gigya` npm SDK making the same notifyLogin call.
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { readFileSync } from 'node:fs';
import { build } from 'esbuild';
import { median, pairedRatio, summary } from '../lib/stats.mjs';
import { bytes, num, ratio, spread, table } from '../lib/format.mjs';
import { freePort, has, root, start, untilAnswered } from '../lib/proc.mjs';
import { answersNotifyLogin, notifyLoginAnswer, site } from '../lib/contract.mjs';

const clientLanded = has('src/client.ts') && has('packages/contract/dist/src/index.node.js');
const gigyaVersion = JSON.parse(readFileSync(join(root, 'node_modules', 'gigya', 'package.json'), 'utf8')).version;

// Bundles `contents` as an app entry would be bundled; returns minified and gzip -9 sizes.
async function bundle(contents, platform) {
  const result = await build({
    stdin: { contents, resolveDir: root, sourcefile: 'bench-entry.ts', loader: 'ts' },
    bundle: true,
    minify: true,
    format: 'esm',
    platform,
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  const code = result.outputFiles[0].contents;
  const externals = new Set();
  for (const input of Object.values(result.metafile.inputs)) {
    for (const imp of input.imports) {
      if (imp.external && !imp.path.startsWith('<')) externals.add(imp.path.replace(/^node:/, ''));
    }
  }
  // Minified bytes per package (or per source file of this repository), largest first.
  const parts = new Map();
  for (const [path, { bytesInOutput }] of Object.entries(Object.values(result.metafile.outputs)[0].inputs)) {
    const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path)?.[1] ?? path;
    parts.set(pkg, (parts.get(pkg) ?? 0) + bytesInOutput);
  }
  const largest = [...parts].filter(([, n]) => n > 0).sort((a, b) => b[1] - a[1]);
  return { min: code.length, gzip: gzipSync(code, { level: 9 }).length, modules: Object.keys(result.metafile.inputs).length, externals, largest };
}

async function sizes() {
  const app = (from) =>
    `import { createSocializeClient } from '${from}';\n` +
    `export const notifyLogin = (options, params) => createSocializeClient(options).notifyLogin(params);\n`;
  const entries = [
    // What a browser app that makes calls with a UIDSig imports (gigya-socialize-contract/lite); the budget is 6 kB gzipped.
    { name: 'notifyLogin app on ./lite (the 6 kB budget)', platform: 'browser', contents: app('./src/lite.ts') },
    // The same app on the main entry, which also carries signing, the login URL and openapi-fetch for `raw`.
    { name: 'notifyLogin app on the main entry (browser)', platform: 'browser', contents: app('./src/index.ts') },
  ];
  entries.push(
    { name: 'package entry src/index.ts, every export', platform: 'neutral', contents: `export * from './src/index.ts';\n` },
    {
      name: 'openapi-fetch 0.17 alone, every export',
      platform: 'neutral',
      contents: `export * from 'openapi-fetch';\nexport { default } from 'openapi-fetch';\n`,
    },
    {
      name: `gigya ${gigyaVersion} SDK: app making a notifyLogin call`,
      platform: 'node',
      contents:
        `import Gigya from 'gigya';\n` +
        `export const notifyLogin = (apiKey, dc, secret, params) => new Gigya(apiKey, dc, secret).socialize.notifyLogin(params);\n`,
    },
  );
  for (const entry of entries) Object.assign(entry, await bundle(entry.contents, entry.platform));
  const reference = entries[0];
  const rows = entries.map((e) => [
    e.name,
    e.platform,
    String(e.modules),
    bytes(e.min),
    bytes(e.gzip),
    e === reference ? 'reference' : `${num(e.gzip / reference.gzip)}×`,
  ]);
  const gigya = entries.at(-1);
  const parts = (e, k) =>
    e.largest
      .slice(0, k)
      .map(([name, n]) => `${name} ${bytes(n)}`)
      .join(', ');
  return [
    table(['bundle (esbuild --bundle --minify --format=esm)', 'platform', 'modules', 'minified', 'gzip -9', 'gzip ÷ first row'], rows),
    `${reference.name}: ${bytes(reference.gzip)} gzipped, ${reference.gzip <= 6144 ? 'meets' : 'MISSES'} the 6 kB budget (test/client/size.test.ts holds it).`,
    `Minified bytes by source, before gzip: ${reference.name}: ${parts(reference, 8)}.`,
    `${entries[1].name}: ${parts(entries[1], 8)}.`,
    `${gigya.name}: ${parts(gigya, 6)}, … (${gigya.largest.length} packages or files).`,
    `The client rows import the TypeScript sources (./src/lite.ts, ./src/index.ts), bundled as users' bundlers would. The gigya bundle targets Node`,
    `(platform=node), where Node's built-in modules stay external and are not counted: ${[...gigya.externals].sort().join(', ')}.`,
  ].join('\n');
}

// Times one call; returns microseconds.
async function timeCall(call) {
  const started = performance.now();
  await call();
  return (performance.now() - started) * 1000;
}

// One round: `n` calls of every contender, one after another, the contenders taking turns call by call (in
// an order rotated per round), so that whatever the machine does meanwhile falls on all of them alike.
// Returns each contender's median call in µs: a call the scheduler interrupted (a few in a hundred on a
// busy machine) moves the mean by its whole delay and the median hardly at all.
async function round(contenders, n, index) {
  const times = contenders.map(() => []);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < contenders.length; k++) {
      const at = (index + i + k) % contenders.length;
      times[at].push(await timeCall(contenders[at].call));
    }
  }
  return times.map(median);
}

async function timing(quick) {
  if (!clientLanded) {
    return 'Per-call time: UNAVAILABLE (src/client.ts or its build packages/contract/dist/src/index.node.js is not on this branch yet); no figure is made up.';
  }
  // The package as Node resolves it ("node" condition: node:crypto signing).
  const { createSocializeClient, signRequest } = await import(pathToFileURL(join(root, 'packages', 'contract', 'dist', 'src', 'index.node.js')).href);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const server = start(process.execPath, [join(root, 'bench', 'servers', 'bare.mjs'), String(port)], {
    env: { ...process.env, BENCH_ANSWER: notifyLoginAnswer() },
  });
  try {
    await untilAnswered(server, () => answersNotifyLogin(url), { since: performance.now() });
    const options = { apiKey: site.apiKey, baseUrl: url };
    const params = { siteUID: 'site-user-42' };
    // Raw fetch sends exactly what a client sends: take each client's request once, then replay it.
    const replay = async (credentials) => {
      let sent;
      await createSocializeClient({
        ...options,
        credentials,
        fetch: async (request) => {
          sent = { url: request.url, contentType: request.headers.get('content-type'), body: await request.clone().text() };
          return fetch(request);
        },
      }).notifyLogin(params);
      return async () => {
        const res = await fetch(sent.url, { method: 'POST', headers: { 'content-type': sent.contentType }, body: sent.body });
        const answer = await res.json();
        if (answer.errorCode !== 0) throw new Error(`raw fetch: errorCode ${answer.errorCode}`);
        return answer;
      };
    };
    const plain = { secret: site.secret };
    const signing = { secret: site.secret, sign: true };
    const client = createSocializeClient({ ...options, credentials: plain });
    const signed = createSocializeClient({ ...options, credentials: signing });
    const RAW = 'raw fetch, same request (secret in body)';
    const RAW_SIGNED = 'raw fetch, same request (signed)';
    const contenders = [
      { name: RAW, ref: RAW, call: await replay(plain) },
      { name: 'typed client, secret in body', ref: RAW, goal: 1.05, call: () => client.notifyLogin(params) },
      { name: RAW_SIGNED, ref: RAW_SIGNED, call: await replay(signing) },
      { name: 'typed client, signed (sign: true)', ref: RAW_SIGNED, goal: 1.1, call: () => signed.notifyLogin(params) },
    ];
    const n = quick ? 10 : 100;
    const rounds = quick ? 2 : 21;
    await round(contenders, quick ? 10 : 200, 0); // warm-up: JIT, keep-alive connections
    const samples = contenders.map(() => []);
    for (let r = 0; r < rounds; r++) {
      for (const [k, t] of (await round(contenders, n, r)).entries()) samples[k].push(t);
    }
    const of = (name) => samples[contenders.findIndex((c) => c.name === name)];
    const rows = contenders.map((c, k) => {
      const reference = c.name === c.ref;
      const r = pairedRatio(samples[k], of(c.ref));
      const added = pairedDifference(samples[k], of(c.ref));
      return [
        c.name,
        spread(summary(samples[k]), ' µs'),
        reference ? 'reference' : ratio(r),
        reference ? '—' : spread(added, ' µs'),
        reference ? '' : `${r.median <= c.goal ? 'meets' : 'MISSES'} ≤${c.goal}×`,
      ];
    });
    return [
      `Per-call time: POST /socialize.notifyLogin to a bare node:http server on 127.0.0.1 (a child process) answering the`,
      `contract's success example, through Node's global fetch (undici, keep-alive). Each raw fetch replays the request its client`,
      `sends (captured once), so both send the same bytes; the signed client also computes timestamp, nonce and HMAC per call.`,
      `${rounds} rounds after a warm-up; in each, ${n} calls per caller, the four callers taking turns call by call; a caller's figure`,
      `for the round is its median call, and the ratio and the difference are taken within the round, then summarised over rounds.`,
      table(['caller', 'µs per call median (min–max)', '÷ raw fetch', 'added per call', 'goal'], rows),
      '',
      await signingWhereItRuns(signRequest, await clientSigner(url), contenders[0].call, quick),
    ].join('\n');
  } finally {
    await server.stop();
  }
}

// What a signed client call runs to sign (src/client.ts: the base string of its form fields, then the
// client's own HMAC with the key prepared once), from the built package's modules.
async function clientSigner(url) {
  const dist = join(root, 'packages', 'contract', 'dist', 'src');
  const { hmacSha1Signer } = await import(pathToFileURL(join(dist, 'hmac-sha1.js')).href);
  const { fieldsBaseString } = await import(pathToFileURL(join(dist, 'signature.js')).href);
  const sign = hmacSha1Signer(Buffer.from(site.secret, 'base64'));
  return (params) => sign(fieldsBaseString(`${url}/socialize.notifyLogin`, Object.entries(params)));
}

// The signing step by itself, timed where it runs: back to back (what the signatures section measures),
// after the process slept 1 ms, and right after a loopback call, as in a signed client's call sequence.
// On this machine the same HMAC costs several times as much once the process has waited (cold caches, an
// idle core waking), which is most of what signing adds to a call. Both the public signRequest (node:crypto)
// and the client's own signing step (docs/DECISIONS.md item 29) are timed, interleaved.
async function signingWhereItRuns(signRequest, clientSign, raw, quick) {
  const input = () => ({
    secret: site.secret,
    method: 'POST',
    url: 'https://socialize.us1.gigya.com/socialize.notifyLogin',
    params: {
      siteUID: 'site-user-42',
      apiKey: site.apiKey,
      format: 'json',
      timestamp: String(Math.floor(Date.now() / 1000)),
      nonce: `${Date.now()}_${Math.random()}`,
    },
  });
  const before = { 'back to back': async () => {}, 'after a 1 ms sleep': () => new Promise((r) => setTimeout(r, 1)), 'after a loopback call': raw };
  const signers = {
    signRequest: (fields) => signRequest(fields),
    "the client's signing": async (fields) => clientSign(fields.params),
  };
  const times = Object.fromEntries(Object.keys(signers).flatMap((s) => Object.keys(before).map((k) => [`${s}|${k}`, []])));
  const n = quick ? 20 : 600;
  for (let i = 0; i < n; i++) {
    for (const [signer, signStep] of Object.entries(signers)) {
      for (const [name, wait] of Object.entries(before)) {
        await wait();
        const fields = input();
        const started = performance.now();
        await signStep(fields);
        times[`${signer}|${name}`].push((performance.now() - started) * 1000);
      }
    }
  }
  const rows = Object.keys(before).map((name) => [name, ...Object.keys(signers).map((s) => spread(summary(times[`${s}|${name}`]), ' µs'))]);
  return [
    `The signing step alone (the same request's fields), ${n} times in each condition, interleaved: signRequest (node entry, node:crypto),`,
    `and what a signed client call runs (the base string of its fields and the client's HMAC, key prepared once; src/client.ts):`,
    table(['signing timed', 'signRequest µs median (min–max)', "client's signing µs median (min–max)"], rows),
  ].join('\n');
}

// Per-round differences a[i] - b[i], summarised.
function pairedDifference(a, b) {
  return summary(a.map((x, i) => x - b[i]));
}

/** Runs the section; returns its printable text. */
export async function run({ quick }) {
  return [await timing(quick), '', 'Size:', await sizes()].join('\n');
}
