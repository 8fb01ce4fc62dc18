import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ExampleApp } from '@tokenlane/test-servers/appWorld';

const main = createRequire(import.meta.url).resolve('srvx'); // .../srvx/dist/...
const SRVX = join(main.slice(0, main.lastIndexOf('/dist/')), 'bin/srvx.mjs');

/** This example's production build, served by srvx (the server TanStack Start builds for). */
export const tanstackStartApp: ExampleApp = {
  dir: fileURLToPath(new URL('..', import.meta.url)),
  built: 'dist/server/server.js',
  name: '@tokenlane/example-tanstack-start',
  serve: (port) => [
    process.execPath,
    SRVX,
    'serve',
    '--prod',
    '--entry',
    'dist/server/server.js',
    '--static',
    '../client',
    '--host',
    '127.0.0.1',
    '--port',
    String(port),
  ],
};
