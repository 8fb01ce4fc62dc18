import { readFileSync } from 'node:fs';
import { entryNames } from '../../package-entries.js';

// The reference's entries are package.json's `exports` (the one list).
const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));

export default {
  entryPoints: entryNames(pkg.exports).map((name) => `src/${name}.ts`),
  tsconfig: 'tsconfig.json',
};
