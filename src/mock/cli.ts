#!/usr/bin/env node
/// <reference types="node" />
// socialize-mock: the mock server from the command line. The flags, the banner and the messages are the
// ones `npm start` has too (cli-options.ts): it prints its URL and the test site's API key (the secret only
// when it is the public default), logs one line per request unless --quiet, and stops cleanly on Ctrl-C
// or SIGTERM. A bad flag value exits with status 2 and a message naming the flag.
import { exitWith, parseCommandLine, serve, usage } from './cli-options.js';
import { defaultDocsPath } from './index.js';

async function main(): Promise<void> {
  const line = parseCommandLine(process.argv.slice(2), process.env, 'socialize-mock');
  if (line.help) {
    process.stdout.write(usage('socialize-mock'));
    return;
  }
  // The reference page the package ships (when it does), unless --docs names another.
  const docs = line.options.docs ?? defaultDocsPath();
  if (docs !== undefined) line.options.docs = docs;
  await serve(line, 'socialize-mock');
}

main().catch((error: unknown) => exitWith(error, 'socialize-mock'));
