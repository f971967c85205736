#!/usr/bin/env node
// `npm run mock`: builds the package when dist/ is missing or out of date, then runs the mock server's CLI
// in this process (flags after `--` are passed on: `npm run mock -- --port 0`).
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ensureCompiled, root } from './freshness.mjs';

// The build's messages go to stderr: stdout is the CLI's (its URL and request log).
ensureCompiled((line) => process.stderr.write(`socialize-mock: ${line}\n`));
await import(pathToFileURL(join(root, 'packages', 'mock', 'dist', 'cli.js')).href);
