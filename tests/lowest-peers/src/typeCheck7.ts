import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// TypeScript 7 (the native compiler, installed apart in tests/typescript7 so that the repository's
// `tsc` stays 5.x) has no JS API to build a program from: the snippets go to a folder of this workspace with a tsconfig.json (the
// same options as `typeCheck`), and its `tsc` checks them. The folder sits under this workspace,
// so `@tokenlane/react-auth` resolves to the built package as in an app.

const here = fileURLToPath(new URL('..', import.meta.url));
/** TypeScript 7's `tsc`. */
export const tsc7 = join(
  dirname(createRequire(`${here}../typescript7/package.json`).resolve('typescript/package.json')),
  'bin/tsc',
);

/** Type-checks `sources` with TypeScript 7, the peers mapped by `paths`; returns the errors. */
export function typeCheck7(
  name: string,
  sources: Record<string, string>,
  paths: Record<string, string[]>,
): string[] {
  const dir = join(here, '.type-check', `${name}-ts7`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (const [file, code] of Object.entries(sources)) writeFileSync(join(dir, file), code);
  const compilerOptions = {
    strict: true,
    noEmit: true,
    skipLibCheck: false,
    target: 'ES2022',
    module: 'ESNext',
    moduleResolution: 'bundler',
    jsx: 'react-jsx',
    lib: ['ES2023', 'DOM', 'DOM.Iterable'],
    types: ['node'],
    paths,
  };
  writeFileSync(
    join(dir, 'tsconfig.json'),
    JSON.stringify({ compilerOptions, files: Object.keys(sources) }),
  );
  const run = spawnSync(tsc7, ['-p', dir, '--pretty', 'false'], { encoding: 'utf8' });
  rmSync(dir, { recursive: true, force: true });
  if (run.error) throw run.error;
  const errors = `${run.stdout}${run.stderr}`
    .split('\n')
    .filter((line) => / error TS\d+/.test(line));
  // A failed run that printed no diagnostics is a broken setup, not a clean check.
  if (run.status !== 0 && errors.length === 0) throw new Error(`tsc 7: ${run.stdout}${run.stderr}`);
  return errors;
}
