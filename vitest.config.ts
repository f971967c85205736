import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    // The docs' TypeScript code samples import the package by name, as readers do; run them against the
    // source, as tsconfig.json's `paths` typechecks them.
    alias: [
      { find: /^gigya-socialize-contract$/, replacement: fileURLToPath(new URL('./src/index.ts', import.meta.url)) },
      { find: /^gigya-socialize-contract\/mock$/, replacement: fileURLToPath(new URL('./src/mock/index.ts', import.meta.url)) },
    ],
  },
  test: {
    include: ['test/**/*.test.ts'],
    // Builds what is stale once, before the suites (generated/, dist/, the docs page), as
    // `npm start -- --build-only` does.
    globalSetup: ['test/global-setup.ts'],
    restoreMocks: true,
    testTimeout: 20_000,
    hookTimeout: 60_000,
    typecheck: {
      enabled: true,
      include: ['test/**/*.test-d.ts'],
      tsconfig: './tsconfig.json',
    },
  },
});
