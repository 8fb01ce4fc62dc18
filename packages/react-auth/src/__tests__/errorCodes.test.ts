import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { guide } from './docsSnippets.js';

// Errors as a contract: every code Tokenlane raises (in @tokenlane/core and here) is in
// `AuthErrorCode`, every code there is raised somewhere, and the docs' errors guide names each
// one.

const src = fileURLToPath(new URL('../', import.meta.url));
const coreSrc = fileURLToPath(new URL('../../../core/src/', import.meta.url));
const read = (path: string) => readFileSync(path, 'utf8');

/** The source files of the package, without its tests. */
function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === '__tests__' ? [] : sources(path);
    return /\.tsx?$/.test(name) ? [path] : [];
  });
}

const union = (() => {
  const text = read(join(coreSrc, 'session/errors.ts'));
  const body = /export type AuthErrorCode =([^;]+);/.exec(text)?.[1] ?? '';
  return [...body.matchAll(/'([a-z_]+)'/g)].map((m) => m[1]!).sort();
})();

const raised = [
  ...new Set(
    [...sources(src), ...sources(coreSrc)].flatMap((path) =>
      [
        ...read(path).matchAll(/(?:new (?:AuthError|AuthUsageError)\(\s*|super\(\s*)'([a-z_]+)'/g),
      ].map((m) => m[1]!),
    ),
  ),
].sort();

describe('error codes', () => {
  it('AuthErrorCode names every code raised, and nothing else', () => {
    expect(union.length).toBeGreaterThan(10);
    expect(raised).toEqual(union);
  });

  it("the docs' errors guide names each code", () => {
    const section = guide('errors.md');
    expect(union.filter((code) => !section.includes(`\`${code}\``))).toEqual([]);
    for (const name of ['AuthRequestCode', 'AuthErrorCode', 'TokenlaneError', 'AuthUsageError']) {
      expect(section).toContain(name);
    }
  });
});
