import { createHmac, createSecretKey } from 'node:crypto';
const KEY = Buffer.from('AAECAwQFBgcICQoLDA0ODw==', 'base64'); const ko = createSecretKey(KEY);
const msg = 'x'.repeat(239);
function bench(name, fn) { for (let i = 0; i < 50000; i++) fn(); const n = 200000; const t = performance.now(); for (let i = 0; i < n; i++) fn(); console.log(name.padEnd(20), ((performance.now() - t) * 1000 / n).toFixed(2), 'µs'); }
bench('buffer', () => createHmac('sha1', KEY).update(msg).digest('base64'));
bench('keyobject', () => createHmac('sha1', ko).update(msg).digest('base64'));
bench('buffer', () => createHmac('sha1', KEY).update(msg).digest('base64'));
bench('keyobject', () => createHmac('sha1', ko).update(msg).digest('base64'));
bench('isWellFormed', () => msg.isWellFormed());
bench('regex', () => /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?:^|[^\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(msg));
