import { defineConfig } from 'vitest/config';
import { coreSourceAliases } from './sourceAliases.js';

// What `npm run test:mutation` runs against every mutant of src/session and src/fetch: the unit
// tests, and the session simulator's race tests with fewer runs per property (to keep each
// mutant's run short).
export default defineConfig({
  resolve: { alias: coreSourceAliases },
  test: {
    include: [
      'src/session/__tests__/**/*.test.ts',
      'src/fetch/__tests__/**/*.test.ts',
      'src/testing/__tests__/sessionSimulator.test.ts',
      'src/testing/__tests__/races.property.test.ts',
      'src/testing/__tests__/users.model.test.ts',
      'src/testing/__tests__/interleavings.property.test.ts',
      'src/testing/__tests__/sessionEnd.sim.test.ts',
    ],
    testTimeout: 30_000,
    env: { FC_RUNS: '40' },
  },
});
