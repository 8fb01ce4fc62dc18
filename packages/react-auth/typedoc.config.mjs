import { readFileSync } from 'node:fs';

// The reference's entries are package.json's `exports` (the one list): `./step-up` is
// `src/step-up.ts`.
const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));

export default {
  entryPoints: Object.keys(pkg.exports)
    .filter((subpath) => subpath !== './package.json')
    .map((subpath) => `src/${subpath.replace(/^\.\/?/, '') || 'index'}.ts`),
  tsconfig: 'tsconfig.json',
};
