import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

/** What the README's app imports, from the root entry (axios) and from `./fetch`. */
const APP =
  'AuthError, AuthGate, AuthProvider, AuthRequestError, useAuth, useAuthedMutation, useAuthedQuery';
const APPS: Array<[name: string, contents: string]> = [
  ["the README's axios app", `export { ${APP}, createAuthClient } from '@tokenlane/react-auth';`],
  [
    "the README's app on fetch",
    `export { ${APP}, createFetchClient } from '@tokenlane/react-auth/fetch';`,
  ],
];

const PACKAGES: Array<[name: string, entry: string]> = [
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
  const bundles = [
    ...APPS,
    ...PACKAGES.map(([name, entry]): [string, string] => [
      `${name} (export *)`,
      `import * as all from '${entry}'; export default all;`,
    ]),
  ];
  for (const [name, contents] of bundles) {
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
    results.push({ name, minBytes: code.length, gzipBytes: gzipSync(code, { level: 9 }).length });
  }
  return results;
}
