import { createHmac } from 'node:crypto';
const m = await import('../packages/contract/dist/src/index.node.js');
const f = await import('../packages/contract/dist/src/form.js');
const SECRET = 'AAECAwQFBgcICQoLDA0ODw==', KEY = Buffer.from(SECRET, 'base64');
const URL_ = 'https://socialize.us1.gigya.com/socialize.notifyLogin';
const PARAMS = { apiKey: '3_ABCdefGHIjklMNOpqrSTUvwxYZ0123456789', siteUID: 'site-user-42', format: 'json', timestamp: '1700000000', nonce: '1700000000000_k2j3h4g5f6d7', userKey: 'AH9b2kQx7' };
const base = m.buildBaseString({ method: 'POST', url: URL_, params: PARAMS });
async function bench(name, fn, isAsync) { for (let i = 0; i < 20000; i++) isAsync ? await fn() : fn(); const n = 100000; const t = performance.now(); for (let i = 0; i < n; i++) isAsync ? await fn() : fn(); const us = (performance.now() - t) * 1000 / n; console.log(name.padEnd(30), us.toFixed(2), 'µs'); }
await bench('hmac ceiling', () => createHmac('sha1', KEY).update(base).digest('base64'));
await bench('buildBaseString', () => m.buildBaseString({ method: 'POST', url: URL_, params: PARAMS }));
await bench('normalizeUrl', () => m.normalizeUrl(URL_));
await bench('formFields', () => f.formFields(PARAMS));
await bench('encodeRfc3986 base', () => m.encodeRfc3986(base));
await bench('hmacSha1', () => m.hmacSha1(SECRET, base), true);
await bench('signRequest', () => m.signRequest({ secret: SECRET, method: 'POST', url: URL_, params: PARAMS }), true);
await bench('createUIDSignature', () => m.createUIDSignature({ secret: SECRET, siteUID: 'site-user-42', timestamp: 1700000000 }), true);
await bench('validateUIDSignature', () => m.validateUIDSignature({ secret: SECRET, UID: 'site-user-42', UIDSignature: 'AAAAAAAAAAAAAAAAAAAAAAAAAAA=', signatureTimestamp: 1700000000, now: 1700000000 }), true);
