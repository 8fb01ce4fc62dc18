import { defineConfig } from 'tsup';
import pkg from './package.json' with { type: 'json' };
import { tsupEntries } from '../../package-entries.js';

export default defineConfig({
  // The entries of package.json's `exports`, the one list.
  entry: tsupEntries(pkg.exports),
  format: ['esm'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'node20',
  splitting: true,
});
