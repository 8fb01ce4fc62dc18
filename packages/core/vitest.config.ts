import { defineConfig } from 'vitest/config';
import { coreSourceAliases } from './sourceAliases.js';

export default defineConfig({
  resolve: { alias: coreSourceAliases },
  test: {
    include: ['src/**/__tests__/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
