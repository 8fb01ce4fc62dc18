import { defineConfig } from 'tsup';

export default defineConfig({
  entry: {
    index: 'src/index.ts',
    client: 'src/client.ts',
    fetch: 'src/fetch.ts',
    profiles: 'src/profiles.ts',
    oauth: 'src/oauth.ts',
    dpop: 'src/dpop.ts',
    'step-up': 'src/stepUp.ts',
    'session-end': 'src/sessionEnd.ts',
    idle: 'src/idle.ts',
    otel: 'src/otel.ts',
    testing: 'src/testing.ts',
    devtools: 'src/devtools.ts',
  },
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'es2022',
  splitting: true,
  external: ['react', 'react-dom', 'axios', '@tanstack/react-query', '@opentelemetry/api'],
});
