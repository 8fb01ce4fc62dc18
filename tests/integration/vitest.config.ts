import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    // One file at a time: bursts of 100 requests against 3-second tokens must finish within a
    // lifetime, and beside the faults suite two files at once made them miss it on 2 cores.
    maxWorkers: 1,
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
