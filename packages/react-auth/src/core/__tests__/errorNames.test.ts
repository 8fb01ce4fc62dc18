import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

const NAMES = [
  'AuthError',
  'SessionExpiredError',
  'RefreshFailedError',
  'FreshTokenRefusedError',
  'AuthRequestError',
];

describe('error names', () => {
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
      const minified = (await import(`${dir}/errors.mjs`)) as Record<
        string,
        new (...args: string[]) => Error
      >;
      const names = NAMES.map((name) => new minified[name]!('code', 'message').name);
      expect(names).toEqual(NAMES);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
