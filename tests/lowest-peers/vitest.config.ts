import { dirname, resolve } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Runs @tokenlane/react-auth's React tests, unchanged, on the lowest version of every peer, which
// this workspace installs: React 18.0, TanStack Query 5.80, axios 1.6, @opentelemetry/api 1.3
// (the OpenTelemetry entry's tests, with sdk-trace-base bundled so that it uses that API too). @testing-library/react is
// CommonJS (Node resolves its requires), so a copy of it is installed here too, where its
// require('react-dom') finds this React.
const require = createRequire(import.meta.url);
const here = (pkg: string) => dirname(require.resolve(`${pkg}/package.json`));
const packageDir = resolve(dirname(fileURLToPath(import.meta.url)), '../../packages/react-auth');
const peers = [
  'react',
  'react-dom',
  '@tanstack/react-query',
  '@tanstack/query-core',
  'axios',
  '@opentelemetry/api',
];
const escape = (name: string) => name.replace(/[/.]/g, (c) => `\\${c}`);

export default defineConfig({
  resolve: {
    alias: [
      ...peers.flatMap((pkg) => [
        { find: new RegExp(`^${escape(pkg)}$`), replacement: here(pkg) },
        { find: new RegExp(`^${escape(pkg)}/(.*)$`), replacement: `${here(pkg)}/$1` },
      ]),
      { find: /^@testing-library\/react$/, replacement: here('@testing-library/react') },
    ],
  },
  test: {
    root: packageDir,
    include: ['src/react/__tests__/**/*.test.tsx', 'src/otel/__tests__/**/*.test.ts'],
    env: { EXPECT_REACT_MAJOR: '18' },
    // Bundle these so their own imports of the peers go through the aliases above.
    server: { deps: { inline: [/@tanstack\//, /@opentelemetry\//] } },
  },
});
