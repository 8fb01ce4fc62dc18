import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { coreSourceAliases } from '../core/sourceAliases.js';

const src = fileURLToPath(new URL('./src/', import.meta.url));

export default defineConfig({
  // Tests written as an app writes them (the README's testing example) import the packages by
  // name: they run against the sources, @tokenlane/core's included.
  resolve: {
    alias: [
      { find: /^@tokenlane\/react-auth$/, replacement: `${src}index.ts` },
      { find: /^@tokenlane\/react-auth\/(.*)$/, replacement: `${src}$1.ts` },
      ...coreSourceAliases,
    ],
  },
  test: {
    include: ['src/**/__tests__/**/*.test.{ts,tsx}'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    env: { EXPECT_REACT_MAJOR: '19' },
  },
});
