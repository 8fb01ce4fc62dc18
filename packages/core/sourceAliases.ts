import { fileURLToPath } from 'node:url';

const src = fileURLToPath(new URL('./src/', import.meta.url));

/**
 * Vitest aliases that resolve `@tokenlane/core` and its subpaths to the sources (each entry is
 * `src/<subpath>.ts`), so the tests of this package and of the packages built on it run without
 * a build and share one instance of every module.
 */
export const coreSourceAliases = [
  { find: /^@tokenlane\/core$/, replacement: `${src}index.ts` },
  { find: /^@tokenlane\/core\/(.*)$/, replacement: `${src}$1.ts` },
];
