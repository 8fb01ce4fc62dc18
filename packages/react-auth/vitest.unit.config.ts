import { defineConfig } from 'vitest/config';

// The unit tests of the core and of both adapters, and the session simulator's race tests: what
// `npm run test:mutation` runs against every mutant of src/core and src/axios (the generated
// races with fewer runs per property, to keep each mutant's run short).
export default defineConfig({
  test: {
    include: [
      'src/core/**/__tests__/**/*.test.ts',
      'src/axios/**/__tests__/**/*.test.ts',
      'src/fetch/**/__tests__/**/*.test.ts',
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
