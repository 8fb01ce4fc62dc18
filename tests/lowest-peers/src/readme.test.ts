import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readmeSnippets } from '../../../packages/react-auth/src/__tests__/readmeSnippets.js';
import { typeCheck } from '../../../packages/react-auth/src/__tests__/typeCheck.js';

// Every README snippet, as an app would compile it against the built package (its declarations,
// `skipLibCheck` off), with the peers at the floor that peerDependencies declares (installed in this
// workspace) and at the latest (installed at the repository's root for the package's own tests).
const here = fileURLToPath(new URL('..', import.meta.url));
const floor = `${here}node_modules`;
const latest = dirname(
  dirname(createRequire(`${here}../../package.json`).resolve('axios/package.json')),
);

/** Where each peer's types live under `modules` (a node_modules folder). */
const peerPaths = (modules: string) => ({
  '@tanstack/react-query': [`${modules}/@tanstack/react-query`],
  '@tanstack/query-core': [`${modules}/@tanstack/query-core`],
  axios: [`${modules}/axios`],
  react: [`${modules}/@types/react`],
  'react/*': [`${modules}/@types/react/*`],
  'react-dom': [`${modules}/@types/react-dom`],
  'react-dom/*': [`${modules}/@types/react-dom/*`],
});

/**
 * Libraries a snippet imports that are not peers, whose own declarations do not compile against
 * React 18's types with `skipLibCheck` off (TanStack Router's class components return a React 19
 * `ReactNode`): their errors are theirs, named here, and any other library's fail the test.
 */
const THEIRS_AT_FLOOR = ['/node_modules/@tanstack/react-router/'];

/** Type-checks the snippets with the peers of `modules`; returns the diagnostics. */
function typeCheckReadme(name: string, modules: string): string[] {
  const files = Object.fromEntries(
    readmeSnippets().map((code, index) => [`snippet-${index}.tsx`, code]),
  );
  const theirs = name === 'floor' ? THEIRS_AT_FLOOR : [];
  return typeCheck(`readme-${name}`, files, { paths: peerPaths(modules), libCheck: true }).filter(
    (problem) => !theirs.some((path) => problem.includes(path)),
  );
}

const versionIn = (modules: string, pkg: string) =>
  (createRequire(`${modules}/`)(`${pkg}/package.json`) as { version: string }).version;

describe('every README snippet compiles against the built package', () => {
  it.each([
    ['floor', floor],
    ['latest', latest],
  ])(
    'with the peers at their %s',
    (name, modules) => {
      expect(readmeSnippets().length).toBeGreaterThanOrEqual(20);
      // The two sets differ where it matters (else this proves one of them twice).
      if (name === 'floor') expect(versionIn(modules, '@tanstack/react-query')).toBe('5.80.0');
      else expect(versionIn(modules, '@tanstack/react-query')).not.toBe('5.80.0');
      expect(typeCheckReadme(name, modules)).toEqual([]);
    },
    120_000,
  );
});
