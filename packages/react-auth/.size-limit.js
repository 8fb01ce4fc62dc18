// What each entry costs an app, measured as `bench/src/size.ts` measures it: esbuild, minified,
// gzip, the peers left out, and the syntax Vite's default build target keeps (ES2020: class fields
// and other later syntax lowered, as an app's bundle has them).
const PEERS = ['react', 'react-dom', 'axios', '@tanstack/react-query', '@opentelemetry/api'];

/** One size check, and the target its bundle is built for. */
const check = (name, path, imports, limit) => ({
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

export default [
  check(
    "The README's axios app (AuthError, AuthGate, AuthProvider, AuthRequestError, createAuthClient, useAuth, useAuthedMutation, useAuthedQuery)",
    'dist/index.js',
    '{ AuthError, AuthGate, AuthProvider, AuthRequestError, createAuthClient, useAuth, useAuthedMutation, useAuthedQuery }',
    '9.7 kB',
  ),
  check(
    'The same app on fetch (AuthError, AuthGate, AuthProvider, AuthRequestError, createFetchClient, useAuth, useAuthedMutation, useAuthedQuery)',
    'dist/fetch.js',
    '{ AuthError, AuthGate, AuthProvider, AuthRequestError, createFetchClient, useAuth, useAuthedMutation, useAuthedQuery }',
    '9.65 kB',
  ),
  check('@tokenlane/react-auth (root entry, everything)', 'dist/index.js', '*', '10.1 kB'),
  check('@tokenlane/react-auth/client (no React)', 'dist/client.js', '*', '8.95 kB'),
  check(
    '@tokenlane/react-auth/fetch, createFetchClient (no React, no axios)',
    'dist/fetch.js',
    '{ createFetchClient }',
    '8.7 kB',
  ),
  check(
    '@tokenlane/react-auth/fetch, everything (with the React bindings and authedFetch)',
    'dist/fetch.js',
    '*',
    '10.2 kB',
  ),
  check(
    '@tokenlane/react-auth/profiles (cookieServer, bodyTokenServer)',
    'dist/profiles.js',
    '*',
    '0.85 kB',
  ),
  check(
    '@tokenlane/react-auth/oauth (oauthServer, with oauth4webapi)',
    'dist/oauth.js',
    '{ oauthServer }',
    '8.1 kB',
  ),
  check(
    '@tokenlane/react-auth/oauth with DPoP (oauthServer, oauthDpop: oauth4webapi signs the token calls)',
    'dist/oauth.js',
    '{ oauthServer, oauthDpop }',
    '9.65 kB',
  ),
  check(
    '@tokenlane/react-auth/dpop (dpop, with jose; only apps that bind tokens pay it)',
    'dist/dpop.js',
    '{ dpop }',
    '6.55 kB',
  ),
  check(
    '@tokenlane/react-auth/step-up (stepUp, useStepUp)',
    'dist/step-up.js',
    '{ stepUp, useStepUp }',
    '0.6 kB',
  ),
  check(
    '@tokenlane/react-auth/session-end (onSessionEnding, useSessionEnding)',
    'dist/session-end.js',
    '{ onSessionEnding, useSessionEnding }',
    '0.6 kB',
  ),
  check(
    '@tokenlane/react-auth/idle (idleSignOut, useIdleTimer)',
    'dist/idle.js',
    // AuthUsageError (and the AuthError base it extends) for misuse: +0.09 kB.
    '{ idleSignOut, useIdleTimer }',
    '1.65 kB',
  ),
  check(
    '@tokenlane/react-auth/otel (otelTracing; @opentelemetry/api is a peer, left out)',
    'dist/otel.js',
    '{ otelTracing }',
    '1 kB',
  ),
  check(
    '@tokenlane/react-auth/devtools (TokenlaneDevtools, its own entry)',
    'dist/devtools.js',
    '{ TokenlaneDevtools }',
    '3.6 kB',
  ),
];
