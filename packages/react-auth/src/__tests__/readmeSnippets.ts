import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The package's README. */
export const README_PATH = fileURLToPath(new URL('../../README.md', import.meta.url));

/**
 * The README's `tsx` snippets, each a file of an app: what the README test type-checks against the
 * sources, and `tests/lowest-peers` against the built package at each peer's floor and latest.
 */
export function readmeSnippets(readme = readFileSync(README_PATH, 'utf8')): string[] {
  return [...readme.matchAll(/```tsx\n([\s\S]*?)```/g)].map((match) => match[1]!);
}
