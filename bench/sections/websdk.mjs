// Web SDK: the size of the stand-in gigya.js as the mock serves it (for the test site, with its embedded
// Web SDK schemas), raw and gzipped, beside Gigya's own gigya.js. Gigya's file comes from its CDN, which
// this machine cannot reach (no network but the npm registry and Debian's apt, and no npm package ships
// it), so its size is not measured here: the figures printed for it are what two third-party pages say,
// marked as such, and no ratio is made from them.
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { bytes, table } from '../lib/format.mjs';
import { root } from '../lib/proc.mjs';

const LIMIT = 10 * 1024;

export async function run() {
  const { startMockServer } = await import(pathToFileURL(join(root, 'packages', 'mock', 'dist', 'index.js')).href);
  const mock = await startMockServer({ port: 0 });
  try {
    const response = await fetch(`${mock.url}/js/gigya.js?apiKey=${mock.apiKey}`);
    if (response.status !== 200) throw new Error(`/js/gigya.js answered ${response.status}`);
    const text = await response.text();
    const raw = Buffer.byteLength(text);
    const gzip = gzipSync(text).length;
    const gzip9 = gzipSync(text, { level: 9 }).length;
    const rows = [
      [
        'stand-in /js/gigya.js (this mock)',
        bytes(raw),
        `${bytes(gzip)} (-9: ${bytes(gzip9)})`,
        `measured now; budget 10,240 B gzipped: ${gzip <= LIMIT ? 'within' : 'OVER'}`,
      ],
      ["Gigya's gigya.js (cdns.gigya.com)", 'not measured', 'not measured', 'its CDN is out of reach from this machine'],
      ['  as quoted by consentmark.com', '120 kB', '?', 'third-party page, unverified; raw or compressed not said'],
      ['  as quoted by consentstack.io', '300–500 kB', '?', 'third-party page, unverified; raw or compressed not said'],
    ];
    return table(['script', 'bytes', 'gzip', 'source'], rows);
  } finally {
    await mock.close();
  }
}
