import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { exportedNames } from './typeCheck.js';

// The entries partition the API (as jose's check:subpaths checks its own): each package lists its
// entries once, in package.json's `exports` (the build and the reference read that list); a name
// exported by two entries is a re-export the re-exporting entry declares (`tokenlane.reexports`
// in its package.json, and in the entries guide), and nothing else.

interface Manifest {
  name: string;
  exports: Record<string, unknown>;
  tokenlane?: { reexports: Record<string, string[]> };
}

const packages = ['core', 'react-auth'].map((dir) => {
  const base = fileURLToPath(new URL(`../../../${dir}/`, import.meta.url));
  return { base, manifest: JSON.parse(readFileSync(`${base}package.json`, 'utf8')) as Manifest };
});

/** Every entry of both packages: its import specifier, source file and declared re-exports. */
const entries = packages.flatMap(({ base, manifest }) =>
  Object.keys(manifest.exports)
    .filter((subpath) => subpath !== './package.json')
    .map((subpath) => {
      const name = subpath.replace(/^\.\/?/, '') || 'index';
      return {
        specifier: subpath === '.' ? manifest.name : `${manifest.name}/${subpath.slice(2)}`,
        source: `${base}src/${name}.ts`,
        built: `${base}dist/${name}.js`,
        reexports: manifest.tokenlane?.reexports[subpath] ?? [],
      };
    }),
);

const names = new Map(
  entries.map((entry) => [entry.specifier, new Set(exportedNames(entry.source))]),
);

describe('the entries', () => {
  it('are each a source file, built, and the re-exports they declare are entries', () => {
    expect(entries.length).toBeGreaterThan(15);
    for (const entry of entries) {
      expect(existsSync(entry.source), entry.source).toBe(true);
      expect(existsSync(entry.built), entry.built).toBe(true);
      for (const from of entry.reexports) expect(names.has(from), from).toBe(true);
    }
  });

  it('share no name unless one declares that it re-exports the other', () => {
    const undeclared: string[] = [];
    for (const a of entries) {
      for (const b of entries) {
        if (a.specifier >= b.specifier) continue;
        const shared = [...names.get(a.specifier)!].filter((name) =>
          names.get(b.specifier)!.has(name),
        );
        // Each shared name must come from a declared source: an entry the other re-exports, or one
        // both re-export.
        const sourcesOf = (entry: typeof a) => [entry.specifier, ...entry.reexports];
        const from = [...sourcesOf(a), ...sourcesOf(b)].filter(
          (source) => sourcesOf(a).includes(source) && sourcesOf(b).includes(source),
        );
        const explained = (name: string) => from.some((source) => names.get(source)?.has(name));
        const unexplained = shared.filter((name) => !explained(name));
        if (unexplained.length)
          undeclared.push(`${a.specifier} & ${b.specifier}: ${unexplained.join(', ')}`);
      }
    }
    expect(undeclared).toEqual([]);
  });
});
