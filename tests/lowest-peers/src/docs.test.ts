import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import {
  docsPrograms,
  docsSnippets,
} from '../../../packages/react-auth/src/__tests__/docsSnippets.js';
import { typeCheck } from '../../../packages/react-auth/src/__tests__/typeCheck.js';
import { tsc7, typeCheck7 } from './typeCheck7.js';

// Every snippet of the README and the docs' guides, as an app would compile it against the built package (its declarations,
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
function typeCheckDocs(name: string, modules: string, typescript: 5 | 7): string[] {
  const theirs = name === 'floor' ? THEIRS_AT_FLOOR : [];
  const problems = docsPrograms().flatMap((files, index) =>
    typescript === 5
      ? typeCheck(`docs-${name}-${index}`, files, { paths: peerPaths(modules), libCheck: true })
      : typeCheck7(`docs-${name}-${index}`, files, peerPaths(modules)),
  );
  return problems.filter((problem) => !theirs.some((path) => problem.includes(path)));
}

const versionIn = (modules: string, pkg: string) =>
  (createRequire(`${modules}/`)(`${pkg}/package.json`) as { version: string }).version;

describe('every README and guide snippet compiles against the built packages', () => {
  it('with TypeScript 7 (the native compiler) beside the 5.x the repository builds with', () => {
    const version = spawnSync(tsc7, ['--version'], { encoding: 'utf8' }).stdout;
    expect(version).toMatch(/^Version 7\./);
    expect(ts.version).toMatch(/^5\./);
  }, 60_000);

  it('reports what TypeScript 7 finds (the harness is not blind)', () => {
    const problems = typeCheck7('blind', { 'bad.ts': "export const n: number = 'one';" }, {});
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/bad\.ts.* error TS2322/);
  }, 60_000);

  it.each([
    ['floor', 5, floor],
    ['latest', 5, latest],
    ['floor', 7, floor],
    ['latest', 7, latest],
  ] as const)(
    'with the peers at their %s, TypeScript %i',
    (name, typescript, modules) => {
      expect(Object.keys(docsSnippets()).length).toBeGreaterThanOrEqual(20);
      // The two sets differ where it matters (else this proves one of them twice).
      if (name === 'floor') expect(versionIn(modules, '@tanstack/react-query')).toBe('5.80.0');
      else expect(versionIn(modules, '@tanstack/react-query')).not.toBe('5.80.0');
      expect(typeCheckDocs(name, modules, typescript)).toEqual([]);
    },
    120_000,
  );
});
