// Runs once before any test file: builds whatever is missing or out of date (generated/, dist/, the docs
// page) with the same script as `npm start -- --build-only`. Test files that start built code as a child
// process (the mock's CLI, scripts/start.mjs) then find it ready, and no two files compile into dist/ at
// the same time.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export default function setup(): void {
  const root = fileURLToPath(new URL('..', import.meta.url));
  execFileSync(process.execPath, ['scripts/start.mjs', '--build-only'], { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
}
