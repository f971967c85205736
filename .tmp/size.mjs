import { build } from 'esbuild';
import { gzipSync } from 'node:zlib';
const from = process.argv[2] ?? './src/lite.ts';
const r = await build({ stdin: { contents: `import { createSocializeClient } from '${from}';\nexport const notifyLogin = (o, p) => createSocializeClient(o).notifyLogin(p);\n`, resolveDir: process.cwd(), loader: 'ts' }, bundle: true, minify: true, format: 'esm', platform: 'browser', write: false, metafile: true, logLevel: 'silent' });
const code = r.outputFiles[0].contents;
console.log(from, 'min', code.length, 'gz', gzipSync(code, { level: 9 }).length);
for (const [p, { bytesInOutput }] of Object.entries(Object.values(r.metafile.outputs)[0].inputs).sort((a, b) => b[1].bytesInOutput - a[1].bytesInOutput)) console.log('  ', p, bytesInOutput);
