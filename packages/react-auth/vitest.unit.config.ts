import { defineConfig } from 'vitest/config';

// The axios adapter's unit tests: what `npm run test:mutation` runs against every mutant of
// src/axios (the core's mutants are @tokenlane/core's). @tokenlane/core resolves to its build,
// as in an app: Stryker's sandbox holds this package only.
export default defineConfig({
  test: {
    include: ['src/axios/**/__tests__/**/*.test.ts'],
    testTimeout: 30_000,
  },
});
