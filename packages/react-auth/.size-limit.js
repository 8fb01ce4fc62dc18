// What each entry costs an app (see ../../size-check.js for how it is measured). The README's app
// is the one of its "One minute" section; its targets are 6.5 kB (axios) and 6.0 kB (fetch).
import { check } from '../../size-check.js';

const APP =
  'AuthError, AuthGate, AuthProvider, AuthRequestError, useAuth, useAuthedMutation, useAuthedQuery';

export default [
  check(
    `The README's axios app (${APP}, createAuthClient)`,
    'dist/index.js',
    `{ ${APP}, createAuthClient }`,
    // + 40 B: `restore(serverSession)` (server rendering) is part of every session.
    '9.9 kB',
  ),
  check(
    `The same app on fetch (${APP}, createFetchClient)`,
    'dist/fetch.js',
    `{ ${APP}, createFetchClient }`,
    // + 40 B: `restore(serverSession)` (server rendering) is part of every session.
    '9.85 kB',
  ),
  check(
    '@tokenlane/react-auth (root entry, everything: the React bindings, the axios client, all of @tokenlane/core)',
    'dist/index.js',
    '*',
    // Each `*` entry: + 0.3 kB for BFF mode's profile (bffServer, bffLoginUrl, BFF_SESSION).
    // + 0.15 kB: server rendering (`AuthHydration`, `restore(serverSession)`).
    '12.2 kB',
  ),
  check(
    '@tokenlane/react-auth/client (the axios client and @tokenlane/core, no React)',
    'dist/client.js',
    '*',
    // + 40 B: `restore(serverSession)`, the session holding what a server rendered with.
    '10.95 kB',
  ),
  check(
    '@tokenlane/react-auth/fetch (the React bindings and @tokenlane/core, no axios)',
    'dist/fetch.js',
    '*',
    // + 0.15 kB: server rendering (`AuthHydration`, and the session holding what the server rendered with).
    '11.15 kB',
  ),
  check(
    '@tokenlane/react-auth/step-up (stepUp, useStepUp)',
    'dist/step-up.js',
    '{ stepUp, useStepUp }',
    '0.65 kB',
  ),
  check(
    '@tokenlane/react-auth/session-end (onSessionEnding, useSessionEnding)',
    'dist/session-end.js',
    '{ onSessionEnding, useSessionEnding }',
    '0.57 kB',
  ),
  check(
    '@tokenlane/react-auth/idle (idleSignOut, useIdleTimer)',
    'dist/idle.js',
    '{ idleSignOut, useIdleTimer }',
    '1.67 kB',
  ),
  check(
    '@tokenlane/react-auth/devtools (TokenlaneDevtools, its own entry)',
    'dist/devtools.js',
    '{ TokenlaneDevtools }',
    '3.6 kB',
  ),
];
