import { defineConfig } from 'tsup';
import pkg from './package.json' with { type: 'json' };

/** The entries, from package.json's `exports` (the one list): `./step-up` is `src/step-up.ts`. */
const entry = Object.fromEntries(
  Object.keys(pkg.exports)
    .filter((subpath) => subpath !== './package.json')
    .map((subpath) => subpath.replace(/^\.\/?/, '') || 'index')
    .map((name) => [name, `src/${name}.ts`]),
);

export default defineConfig({
  entry,
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'es2022',
  splitting: true,
  external: ['react', 'react-dom', 'axios', '@tanstack/react-query', '@opentelemetry/api'],
});
