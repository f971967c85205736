import { createHmac } from 'node:crypto';
const m = await import('../packages/contract/dist/src/index.node.js');
const SECRET = 'AAECAwQFBgcICQoLDA0ODw==', KEY = Buffer.from(SECRET, 'base64');
const URL_ = 'https://socialize.us1.gigya.com/socialize.notifyLogin';
const PARAMS = { apiKey: '3_ABCdefGHIjklMNOpqrSTUvwxYZ0123456789', siteUID: 'site-user-42', format: 'json', timestamp: '1700000000', nonce: '1700000000000_k2j3h4g5f6d7', userKey: 'AH9b2kQx7' };
const base = m.buildBaseString({ method: 'POST', url: URL_, params: PARAMS });
const c = {
  ceiling: [() => createHmac('sha1', KEY).update(base).digest('base64'), false],
  asyncCeiling: [async () => createHmac('sha1', KEY).update(base).digest('base64'), true],
  hmacSha1: [() => m.hmacSha1(SECRET, base), true],
  buildBaseString: [() => m.buildBaseString({ method: 'POST', url: URL_, params: PARAMS }), false],
  signRequest: [() => m.signRequest({ secret: SECRET, method: 'POST', url: URL_, params: PARAMS }), true],
};
const res = {};
for (let r = 0; r < 7; r++) for (const [name, [fn, a]] of Object.entries(c)) { const n = 20000; const t = performance.now(); for (let i = 0; i < n; i++) a ? await fn() : fn(); (res[name] ??= []).push((performance.now() - t) * 1000 / n); }
for (const [k, v] of Object.entries(res)) { v.sort((a, b) => a - b); console.log(k.padEnd(18), v[3].toFixed(2), 'µs'); }
