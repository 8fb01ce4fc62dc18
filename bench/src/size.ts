import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

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

/** Every export of each package, bundled with the same esbuild flags, minified, gzip -9. */
export async function sizeBenchmark() {
  const results = [];
  for (const [name, entry] of PACKAGES) {
    const out = await build({
      stdin: {
        contents: `import * as all from '${entry}'; export default all;`,
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
