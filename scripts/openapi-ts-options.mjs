// The one configuration of openapi-typescript: the `x-openapi-ts` entry of redocly.yaml's API. Its
// `output` is read by the generator's CLI itself; openapi-typescript 7's CLI reads no other key there, so
// every other key (kebab-case, as the CLI's flags are spelled) is handed to scripts/generate.mjs as an
// option, and to the CLI as a flag by test/contract/generator.test.ts, which holds the two to the same
// output byte for byte.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

const root = join(import.meta.dirname, '..');

/** The API's entry in redocly.yaml: its name and its x-openapi-ts settings. */
function entry() {
  const config = parse(readFileSync(join(root, 'redocly.yaml'), 'utf8'));
  const apis = Object.entries(config.apis ?? {});
  if (apis.length !== 1) throw new Error(`redocly.yaml: expected exactly one API under apis:, found ${apis.length}.`);
  const [name, api] = apis[0];
  const settings = api['x-openapi-ts'];
  if (!settings?.output) throw new Error(`redocly.yaml: apis.${name} needs x-openapi-ts.output.`);
  return { name, settings };
}

const camel = (kebab) => kebab.replace(/-([a-z])/g, (_, letter) => letter.toUpperCase());

/**
 * openapi-typescript's settings: `options` for its Node API (camelCase), `flags` for its CLI
 * (`--default-non-nullable=false`), and the `output` file, relative to the root.
 */
export function openapiTsSettings() {
  const { settings } = entry();
  const { output, ...rest } = settings;
  for (const [key, value] of Object.entries(rest)) {
    if (typeof value !== 'boolean') throw new Error(`redocly.yaml: x-openapi-ts.${key} must be true or false (a CLI switch).`);
  }
  return {
    output,
    options: Object.fromEntries(Object.entries(rest).map(([key, value]) => [camel(key), value])),
    flags: Object.entries(rest).map(([key, value]) => `--${key}=${value}`),
  };
}
