import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  // The test harness (tests/harness) builds on the API's library entry: here, its sources.
  resolve: {
    alias: [
      {
        find: /^@tokenlane\/api$/,
        replacement: fileURLToPath(new URL('./src/lib.ts', import.meta.url)),
      },
    ],
  },
  test: {
    include: ['src/**/__tests__/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
  },
});
