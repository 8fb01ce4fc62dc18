import { defineConfig } from 'vitest/config';

// This workspace's own check that the installed peers are the bottom of the declared ranges.
export default defineConfig({ test: { include: ['src/**/*.test.ts'] } });
