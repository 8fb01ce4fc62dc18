import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ExampleApp } from '@tokenlane/test-servers/appWorld';

const NEXT = join(
  dirname(createRequire(import.meta.url).resolve('next/package.json')),
  'dist/bin/next',
);

/** This example's production build, served by `next start`. */
export const nextApp: ExampleApp = {
  dir: fileURLToPath(new URL('..', import.meta.url)),
  built: '.next/BUILD_ID',
  name: '@tokenlane/example-nextjs',
  serve: (port) => [process.execPath, NEXT, 'start', '-H', '127.0.0.1', '-p', String(port)],
};
