import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The package's README. */
export const README_PATH = fileURLToPath(new URL('../../README.md', import.meta.url));

/** The docs site's guides (docs/guide at the repository's root). */
export const GUIDE_DIR = fileURLToPath(new URL('../../../../docs/guide/', import.meta.url));

/** A guide's text, by its file name (`react.md`). */
export const guide = (page: string) => readFileSync(`${GUIDE_DIR}${page}`, 'utf8');

/** The `tsx` snippets of one markdown text. */
export const tsxSnippets = (markdown: string): string[] =>
  [...markdown.matchAll(/```tsx\n([\s\S]*?)```/g)].map((match) => match[1]!);

/**
 * Every `tsx` snippet of the README and of the docs site's guides, each a file of an app, named
 * after its page (`react-2.tsx`): what the docs test type-checks against the sources, and
 * `tests/lowest-peers` against the built packages at each peer's floor and latest.
 */
export function docsSnippets(): Record<string, string> {
  const pages: Array<[string, string]> = [
    ['readme', readFileSync(README_PATH, 'utf8')],
    ...readdirSync(GUIDE_DIR)
      .filter((file) => file.endsWith('.md'))
      .sort()
      .map((file): [string, string] => [file.replace(/\.md$/, ''), guide(file)]),
  ];
  return Object.fromEntries(
    pages.flatMap(([page, text]) =>
      tsxSnippets(text).map((code, index) => [`${page}-${index}.tsx`, code]),
    ),
  );
}

/**
 * Whether a snippet is an app of its own as far as the hooks' `api` goes: it registers `api`, or
 * it is a fetch app (`@tokenlane/react-auth/fetch`: no axios client in its program). Either holds
 * for the whole program the snippet is in.
 */
const settlesApi = (code: string) =>
  /interface Register \{[^}]*\bapi:/.test(code) ||
  code.includes("from '@tokenlane/react-auth/fetch'");

/**
 * The snippets as the programs to compile: one for all of them, except that each snippet that
 * settles the hooks' `api` is a program of its own (an app has one `api`, and the others' hooks
 * expect the axios default).
 */
export function docsPrograms(): Array<Record<string, string>> {
  const entries = Object.entries(docsSnippets());
  return [
    Object.fromEntries(entries.filter(([, code]) => !settlesApi(code))),
    ...entries.filter(([, code]) => settlesApi(code)).map((entry) => Object.fromEntries([entry])),
  ];
}
