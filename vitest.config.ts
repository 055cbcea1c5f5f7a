import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    // The conformance tier needs a real control plane: `npm run test:real` (test/conformance/vitest.config.ts).
    exclude: [...configDefaults.exclude, 'test/conformance/**'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Every output meshdeck produced in a test file is checked for the simulator's tokens and keys.
    globalSetup: ['test/helpers/secrets-global-setup.ts'],
    setupFiles: ['test/helpers/output-scan-setup.ts'],
    reporters: ['default'],
  },
});
