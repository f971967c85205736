const m = await import('../packages/contract/dist/src/index.node.js');
const f = await import('../packages/contract/dist/src/form.js');
const URL_ = 'https://socialize.us1.gigya.com/socialize.notifyLogin';
const PARAMS = { apiKey: '3_ABCdefGHIjklMNOpqrSTUvwxYZ0123456789', siteUID: 'site-user-42', format: 'json', timestamp: '1700000000', nonce: '1700000000000_k2j3h4g5f6d7', userKey: 'AH9b2kQx7' };
const fields = f.formFields(PARAMS);
const c = {
  build: () => m.buildBaseString({ method: 'POST', url: URL_, params: PARAMS }),
  formFields: () => f.formFields(PARAMS),
  sortcopy: () => fields.slice().sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
  encodeAll: () => fields.map(([n, v]) => `${m.encodeRfc3986(n)}=${m.encodeRfc3986(v)}`).join('&'),
  norm: () => m.normalizeUrl(URL_),
};
const res = {};
for (let r = 0; r < 7; r++) for (const [name, fn] of Object.entries(c)) { const n = 50000; const t = performance.now(); for (let i = 0; i < n; i++) fn(); (res[name] ??= []).push((performance.now() - t) * 1000 / n); }
for (const [k, v] of Object.entries(res)) { v.sort((a, b) => a - b); console.log(k.padEnd(18), v[3].toFixed(2), 'µs'); }
