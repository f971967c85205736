#!/usr/bin/env node
// Figures for the client, printed once (never a timed test):
//   1. size of the client entry (dist/src/index.js) with everything it imports, bundled and minified by
//      esbuild, then gzipped;
//   2. per-call time of client.setUID against a plain fetch doing the same form POST and JSON check, on
//      one loopback server that runs in a child process, as a ratio;
//   3. signing speed of the Web Crypto helpers against node:crypto's createHmac.
// Run `npm run bench:client` (it builds first). Numbers vary between runs and machines; compare ratios.
import { fork } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { createServer } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

if (process.argv[2] === '--server') {
  // The loopback server: reads the form body and answers Gigya's success envelope.
  const body = JSON.stringify({
    callId: '4d9d3c5bd1e3482c9f0a1b2c3d4e5f60',
    errorCode: 0,
    statusCode: 200,
    statusReason: 'OK',
    time: '2026-11-23T08:48:28.537Z',
  });
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
      res.end(body);
    });
  });
  server.listen(0, '127.0.0.1', () => process.send({ port: server.address().port }));
  process.on('disconnect', () => server.close(() => process.exit(0)));
} else {
  await main();
}

async function size() {
  const result = await build({
    entryPoints: [join(root, 'dist/src/index.js')],
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'neutral',
    write: false,
    logLevel: 'silent',
  });
  const code = result.outputFiles[0].contents;
  return { minified: code.length, gzipped: gzipSync(code, { level: 9 }).length };
}

async function timeLoop(n, fn) {
  const start = process.hrtime.bigint();
  for (let i = 0; i < n; i++) await fn(i);
  return Number(process.hrtime.bigint() - start) / 1e6;
}

async function main() {
  const { createSocializeClient, hmacSha1, signRequest } = await import(join(root, 'dist/src/index.js'));
  const bytes = await size();
  console.log(`size: dist/src/index.js bundled with its imports: ${bytes.minified} B minified, ${bytes.gzipped} B gzipped (${(bytes.gzipped / 1024).toFixed(2)} KiB)`);

  const child = fork(fileURLToPath(import.meta.url), ['--server'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const { port } = await new Promise((resolve) => child.once('message', resolve));
  const baseUrl = `http://127.0.0.1:${port}`;
  const apiKey = '3_BENCH';
  const secret = 'AAECAwQFBgcICQoLDA0ODw==';
  const params = { UID: '_gid_Maxa3fCszqWc1A1D1HsoHg==', siteUID: 'site-user-42' };

  const client = createSocializeClient({ apiKey, baseUrl, credentials: { secret } });
  const signing = createSocializeClient({ apiKey, baseUrl, credentials: { secret, sign: true } });
  const raw = async () => {
    const response = await fetch(`${baseUrl}/socialize.setUID`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ ...params, apiKey, secret, format: 'json' }).toString(),
    });
    const answer = await response.json();
    if (answer.errorCode !== 0) throw new Error('unexpected error');
    return answer;
  };
  const viaClient = () => client.setUID(params);
  const viaSigningClient = () => signing.setUID(params);

  // The box is shared, so absolute times drift. Compare in pairs instead: many short rounds, each timing
  // the three variants back to back in a rotating order, a ratio per round, and the median of the ratios.
  const n = 200;
  const rounds = 40;
  const variants = [
    ['raw', raw],
    ['client', viaClient],
    ['signing', viaSigningClient],
  ];
  for (const [, fn] of variants) await timeLoop(500, fn);
  const times = { raw: [], client: [], signing: [] };
  for (let r = 0; r < rounds; r++) {
    for (let k = 0; k < variants.length; k++) {
      const [name, fn] = variants[(r + k) % variants.length];
      times[name].push(await timeLoop(n, fn));
    }
  }
  const median = (xs) => {
    const s = [...xs].sort((a, b) => a - b);
    return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  };
  const ratios = (name) => times[name].map((t, i) => t / times.raw[i]);
  const quartiles = (xs) => {
    const s = [...xs].sort((a, b) => a - b);
    return `${s[Math.floor(s.length / 4)].toFixed(3)}–${s[Math.floor((3 * s.length) / 4)].toFixed(3)}`;
  };
  const per = (name) => `${((median(times[name]) / n) * 1000).toFixed(1)} µs/call`;
  console.log(`calls: setUID, ${rounds} rounds x ${n} sequential calls per variant, loopback server in a child process`);
  console.log(`  raw fetch:                 ${per('raw')} (median round)`);
  for (const [name, label] of [['client', 'client (partner secret):  '], ['signing', 'client (signed request):  ']]) {
    console.log(`  ${label} ${per(name)}  ratio ${median(ratios(name)).toFixed(3)}x (median of per-round ratios; IQR ${quartiles(ratios(name))})`);
  }
  child.disconnect();

  const m = 20_000;
  const base = 'POST&https%3A%2F%2Fsocialize.us1.gigya.com%2Fsocialize.setUID&apiKey%3D3_ABC%26format%3Djson';
  const key = Buffer.from(secret, 'base64');
  await timeLoop(2_000, () => hmacSha1(secret, base));
  const web = await timeLoop(m, () => hmacSha1(secret, base));
  const node = await timeLoop(m, () => createHmac('sha1', key).update(base).digest('base64'));
  const request = { secret, method: 'POST', url: `${baseUrl}/socialize.setUID`, params: { ...params, apiKey, format: 'json', timestamp: '1700000000', nonce: '1' } };
  const signed = await timeLoop(m, () => signRequest(request));
  console.log(`signing: ${m} HMAC-SHA1 each`);
  console.log(`  hmacSha1 (Web Crypto, cached key):   ${((web / m) * 1000).toFixed(2)} µs/op`);
  console.log(`  node:crypto createHmac:              ${((node / m) * 1000).toFixed(2)} µs/op  (Web Crypto ${(web / node).toFixed(1)}x)`);
  console.log(`  signRequest (base string + HMAC):    ${((signed / m) * 1000).toFixed(2)} µs/op`);
}
