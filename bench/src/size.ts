import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

/** What the README's app imports, from the root entry (axios) and from `./fetch`. */
const APP =
  'AuthError, AuthGate, AuthProvider, AuthRequestError, useAuth, useAuthedMutation, useAuthedQuery';
/** The README's app on each transport, and the size it is meant to ship at (gzip bytes). */
const APPS: Array<[name: string, contents: string, targetBytes: number]> = [
  [
    "the README's axios app",
    `export { ${APP}, createAuthClient } from '@tokenlane/react-auth';`,
    6500,
  ],
  [
    "the README's app on fetch",
    `export { ${APP}, createFetchClient } from '@tokenlane/react-auth/fetch';`,
    6000,
  ],
];

const PACKAGES: Array<[name: string, entry: string]> = [
  ['@tokenlane/core', '@tokenlane/core'],
  ['@tokenlane/react-auth', '@tokenlane/react-auth'],
  ['@tokenlane/react-auth/client', '@tokenlane/react-auth/client'],
  ['@tokenlane/react-auth/fetch', '@tokenlane/react-auth/fetch'],
  ['axios-auth-refresh', 'axios-auth-refresh'],
  ['react-query-auth', 'react-query-auth'],
  ['react-oidc-context', 'react-oidc-context'],
  ['@supabase/auth-js', '@supabase/auth-js'],
  ['@auth0/auth0-react', '@auth0/auth0-react'],
];
/** The peers Tokenlane itself leaves out; everything else a package pulls in is counted. */
const EXTERNAL = ['react', 'react-dom', 'react/jsx-runtime', 'axios', '@tanstack/react-query'];

/**
 * What an app ships (the README's app, on axios and on fetch), then every export of each package,
 * bundled with the same esbuild flags, minified, gzip -9.
 */
export async function sizeBenchmark() {
  const results = [];
  const bundles: Array<[name: string, contents: string, targetBytes?: number]> = [
    ...APPS,
    ...PACKAGES.map(([name, entry]): [string, string] => [
      `${name} (export *)`,
      `import * as all from '${entry}'; export default all;`,
    ]),
  ];
  for (const [name, contents, targetBytes] of bundles) {
    const out = await build({
      stdin: {
        contents,
        resolveDir: process.cwd(),
        loader: 'js',
      },
      bundle: true,
      minify: true,
      format: 'esm',
      platform: 'browser',
      target: 'es2020',
      external: EXTERNAL,
      write: false,
      logLevel: 'silent',
      define: { 'process.env.NODE_ENV': '"production"' },
    });
    const code = out.outputFiles[0]!.contents;
    const gzipBytes = gzipSync(code, { level: 9 }).length;
    results.push({ name, minBytes: code.length, gzipBytes, targetBytes });
  }
  return results;
}
