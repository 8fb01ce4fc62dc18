import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import * as errors from '../errors.js';

const NAMES = [
  'AuthError',
  'AuthUsageError',
  'SessionExpiredError',
  'RefreshFailedError',
  'SessionChangedError',
  'FreshTokenRefusedError',
  'AuthRequestError',
  'AuthConfigError',
];

type ErrorClasses = Record<string, new (...args: string[]) => Error>;

describe('error names', () => {
  it('are the class names', () => {
    const classes = errors as unknown as ErrorClasses;
    expect(NAMES.map((name) => new classes[name]!('code', 'message').name)).toEqual(NAMES);
  });

  it("survive an app's minifier, which renames the classes", async () => {
    const { outputFiles } = await build({
      entryPoints: [fileURLToPath(new URL('../errors.ts', import.meta.url))],
      bundle: true,
      minify: true,
      format: 'esm',
      write: false,
    });
    const dir = mkdtempSync(`${tmpdir()}/tokenlane-errors-`);
    try {
      writeFileSync(`${dir}/errors.mjs`, outputFiles[0]!.contents);
      const minified = (await import(`${dir}/errors.mjs`)) as ErrorClasses;
      const names = NAMES.map((name) => new minified[name]!('code', 'message').name);
      expect(names).toEqual(NAMES);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
