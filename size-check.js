// One size check as `bench/src/size.ts` measures what an app ships: esbuild, minified, gzip, the
// peers left out, and the syntax Vite's default build target keeps (ES2020: class fields and
// other later syntax lowered, as an app's bundle has them), in a production build. Shared by the
// packages' `.size-limit.js`.
const PEERS = ['react', 'react-dom', 'axios', '@tanstack/react-query', '@opentelemetry/api'];

/** One size check, and the budget its bundle is held to. */
export const check = (name, path, imports, limit) => ({
  name,
  path,
  import: imports,
  gzip: true,
  limit,
  ignore: PEERS,
  // A production build, as an app ships it (Vite and others define NODE_ENV so).
  modifyEsbuildConfig: (config) => ({
    ...config,
    target: 'es2020',
    define: { ...config.define, 'process.env.NODE_ENV': '"production"' },
  }),
});
