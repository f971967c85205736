#!/usr/bin/env node
// Interim `npm start`: serves the bundled contract with the Prism CLI on 127.0.0.1:4010.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const contract = join(root, 'generated', 'openapi.yaml');
if (!existsSync(contract)) {
  console.error('generated/openapi.yaml is missing: run `npm run generate`.');
  process.exit(1);
}
const child = spawn(join(root, 'node_modules', '.bin', 'prism'), ['mock', contract, '-h', '127.0.0.1', '-p', '4010'], {
  stdio: 'inherit',
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code) => process.exit(code ?? 0));
