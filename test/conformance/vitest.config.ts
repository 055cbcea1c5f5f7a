import { defineConfig } from 'vitest/config';

// `npm run test:real`: the conformance tier (README, "Conformance tier"). The default `npm test` excludes
// test/conformance/ (see vitest.config.ts at the root).
export default defineConfig({
  test: {
    root: new URL('../..', import.meta.url).pathname,
    include: ['test/conformance/**/*.test.ts'],
    globalSetup: ['test/conformance/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 180_000,
    pool: 'forks',
    // One real control plane serves every file; running them one at a time keeps 2 cores for it.
    fileParallelism: false,
    reporters: ['default'],
  },
});
