import { defineConfig } from 'vitest/config';
import { coreSourceAliases } from '../core/sourceAliases.js';

// The axios adapter's unit tests: what `npm run test:mutation` runs against every mutant of
// src/axios (the core's mutants are @tokenlane/core's).
export default defineConfig({
  resolve: { alias: coreSourceAliases },
  test: {
    include: ['src/axios/**/__tests__/**/*.test.ts'],
    testTimeout: 30_000,
  },
});
