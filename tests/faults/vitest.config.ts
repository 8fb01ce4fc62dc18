import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    // Each file runs its own stack (stores, instances, balancer) on ports of its own: the files run
    // side by side. Most of a fault scenario is waiting for the fault to end.
    maxWorkers: 3,
    testTimeout: 240_000,
    hookTimeout: 180_000,
  },
});
