import { defineConfig } from 'vitest/config';

// The unit tests of the core and the axios adapter: what `npm run test:mutation` runs against
// every mutant of src/core and src/axios.
export default defineConfig({
  test: {
    include: ['src/core/**/__tests__/**/*.test.ts', 'src/axios/**/__tests__/**/*.test.ts'],
    testTimeout: 30_000,
  },
});
