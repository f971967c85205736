import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import LongestFirst from './test/sequencer.js';

// The slow lane: what starts browsers, installs packed tarballs, runs the benchmarks or long soaks and
// flows. `npm run test:fast` leaves it out (the edit loop); `npm test`, which CI runs, runs both lanes.
const slow = [
  'test/docs/browser.test.ts',
  'test/docs/site.test.ts',
  'test/docs/search-ready.test.ts',
  'test/release/release.test.ts',
  'test/release/publish.test.ts',
  'test/client/browser.test.ts',
  'test/package/**/*.test.ts',
  'test/bench/**/*.test.ts',
  'test/mock/soak.test.ts',
  'test/mock/flows.test.ts',
  'test/mock/robustness.test.ts',
  'test/mock/persistence.test.ts',
  'test/mock/identity-page.test.ts',
  'test/mock/lifecycle.property.test.ts',
  'test/mock/flood.test.ts',
  'test/docs/start.test.ts',
  'test/docs/code-samples.test.ts',
  'test/web-sdk/browser.test.ts',
];

export default defineConfig({
  resolve: {
    // The docs' TypeScript code samples import the packages by name, as readers do; run them against the
    // source, as tsconfig.json's `paths` typechecks them. On Node the package resolves to its "node" entry
    // (node:crypto signatures), so the tests do too; test/signature runs both entries.
    alias: [
      { find: /^gigya-socialize-contract$/, replacement: fileURLToPath(new URL('./src/index.node.ts', import.meta.url)) },
      { find: /^gigya-socialize-contract\/lite$/, replacement: fileURLToPath(new URL('./src/lite.ts', import.meta.url)) },
      { find: /^gigya-socialize-mock$/, replacement: fileURLToPath(new URL('./src/mock/index.ts', import.meta.url)) },
    ],
  },
  test: {
    // Builds what is stale once, before the suites (generated/, packages/*/dist, the docs page), as
    // `npm start -- --build-only` does.
    globalSetup: ['test/global-setup.ts'],
    // The longest files start first, so that no core waits on one that started last (test/sequencer.ts).
    sequence: { sequencer: LongestFirst },
    restoreMocks: true,
    unstubEnvs: true,
    // Vitest's default on 2 cores is one worker (cores - 1), which leaves a core idle whenever a test waits
    // for a child process, a browser or the network; two files at a time use it.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    // Bounds on waits, not verdicts: a test waits for its condition and only a hang reaches these.
    testTimeout: 60_000,
    hookTimeout: 300_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'fast',
          include: ['test/**/*.test.ts'],
          exclude: slow,
          // One module cache per worker instead of one per file: Prism, Ajv's compiled contract and the
          // client load once, not 36 times (a third less CPU for these files). Every file starts its own
          // servers and restores its mocks and environment (restoreMocks, unstubEnvs); nothing here relies
          // on a fresh module state.
          isolate: false,
        },
      },
      {
        // The type tests (expectTypeOf), with tsc. Part of the edit loop (npm run test:fast); `npm test` leaves
        // this project out because its `npm run typecheck` has just compiled the same files with the same
        // tsconfig.json, where a failed type assertion is a compile error (a second tsc run cost 35–40 s).
        extends: true,
        test: {
          name: 'types',
          include: [],
          typecheck: { enabled: true, only: true, include: ['test/**/*.test-d.ts'], tsconfig: './tsconfig.json' },
        },
      },
      { extends: true, test: { name: 'slow', include: slow } },
    ],
  },
});
