import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    // The conformance tier needs a real control plane: `npm run test:real` (test/conformance/vitest.config.ts).
    exclude: [...configDefaults.exclude, 'test/conformance/**'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    reporters: ['default'],
  },
});
