import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ExampleApp } from '@tokenlane/test-servers/appWorld';

const SERVE = join(
  dirname(createRequire(import.meta.url).resolve('@react-router/serve/package.json')),
  'bin.js',
);

/** This example's production build, served by `react-router-serve`. */
export const reactRouterApp: ExampleApp = {
  dir: fileURLToPath(new URL('..', import.meta.url)),
  built: 'build/server/index.js',
  name: '@tokenlane/example-react-router',
  serve: () => [process.execPath, SERVE, './build/server/index.js'],
};
