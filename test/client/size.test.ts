// Size budget: a browser app making one notifyLogin call (with a UIDSig made on its server) through
// gigya-socialize-contract/lite stays at most 6 kB gzipped, bundled as an app's bundler would (esbuild,
// minified, browser). Every check that names a parameter stays in: the budget is met by leaving out what
// such an app never runs (request signing, the login URL, openapi-fetch), not by dropping checks.
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { expect, test } from 'vitest';

const BUDGET_GZIP_BYTES = 6 * 1024;
const root = fileURLToPath(new URL('../..', import.meta.url));

async function bundle(entry: string) {
  const result = await build({
    stdin: {
      contents:
        `import { createSocializeClient } from '${entry}';\n` +
        'export const notifyLogin = (options, params) => createSocializeClient(options).notifyLogin(params);\n',
      resolveDir: root,
      sourcefile: 'app.ts',
      loader: 'ts',
    },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  const code = result.outputFiles[0]!.text;
  const inputs = Object.values(result.metafile.outputs)[0]!.inputs;
  const bySource = Object.entries(inputs)
    .map(([path, { bytesInOutput }]) => `${path} ${bytesInOutput} B`)
    .join(', ');
  return { code, gzip: gzipSync(code, { level: 9 }).length, bySource };
}

test('the notifyLogin app is at most 6 kB gzipped, every parameter check kept', async () => {
  const { code, gzip, bySource } = await bundle('./src/lite.ts');
  expect(gzip, `notifyLogin app: ${gzip} B gzipped (budget ${BUDGET_GZIP_BYTES}); minified by source: ${bySource}`).toBeLessThanOrEqual(
    BUDGET_GZIP_BYTES,
  );
  // The checks that name a parameter, by the name they give (see params.ts, client-core.ts, form.ts).
  for (const named of [
    'siteUID',
    'UIDSig',
    'UIDTimestamp',
    'providerSessions',
    'userInfo.photoURL',
    'cid',
    'apiKey',
    'baseUrl',
    'dataCenter',
    'timeout',
    'credentials.userKey',
    'credentials.secret',
    'lone UTF-16 surrogate',
  ]) {
    expect(code, named).toContain(named);
  }
  // What such an app never runs.
  expect(code).not.toContain('x_provider'); // the login URL
  expect(code).not.toContain('an HTTP method name'); // request signing's base string
  expect(code).not.toContain('crypto.subtle');
});
