// Builds dist/ once before the suites when it is missing or older than src/: child processes (the mock's
// CLI) cannot run TypeScript. Quick when nothing changed (a few stat calls).
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

function newest(dir: string): number {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return latest;
}

export default function setup(): void {
  const built = statSync(join(root, 'dist', 'src', 'mock', 'cli.js'), { throwIfNoEntry: false })?.mtimeMs ?? 0;
  const sources = Math.max(newest(join(root, 'src')), statSync(join(root, 'generated', 'schema.ts')).mtimeMs);
  if (built >= sources) return;
  const tsc = spawnSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(root, 'tsconfig.build.json')], {
    cwd: root,
    encoding: 'utf8',
  });
  if (tsc.status !== 0) throw new Error(`npm run build failed:\n${tsc.stdout}${tsc.stderr}`);
}
