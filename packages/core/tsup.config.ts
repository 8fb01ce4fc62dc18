import { defineConfig } from 'tsup';

// Every entry of package.json's `exports`, built for ESM and CJS.
export default defineConfig({
  entry: {
    index: 'src/index.ts',
    adapter: 'src/adapter.ts',
    oauth: 'src/oauth.ts',
    dpop: 'src/dpop.ts',
    'step-up': 'src/step-up.ts',
    idle: 'src/idle.ts',
    'session-end': 'src/session-end.ts',
    otel: 'src/otel.ts',
    testing: 'src/testing.ts',
  },
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'es2022',
  splitting: true,
  external: ['@opentelemetry/api'],
});
