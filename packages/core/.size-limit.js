// What each entry of @tokenlane/core costs an app (see ../../size-check.js for how it is measured).
import { check } from '../../size-check.js';

export default [
  check(
    '@tokenlane/core, createFetchClient (no React, no axios)',
    'dist/index.js',
    '{ createFetchClient }',
    // + 40 B: `restore(serverSession)`, the session holding what a server rendered with.
    '8.95 kB',
  ),
  check(
    '@tokenlane/core (everything: the session, the fetch client, the profiles, errors, helpers)',
    'dist/index.js',
    '*',
    // 9.55 kB before BFF mode; bffServer, bffLoginUrl and BFF_SESSION add 0.3 kB to an app that imports everything.
    '9.9 kB',
  ),
  check(
    '@tokenlane/core profiles (cookieServer, bodyTokenServer)',
    'dist/index.js',
    '{ cookieServer, bodyTokenServer }',
    '0.82 kB',
  ),
  check(
    '@tokenlane/core/oauth (oauthServer, with oauth4webapi)',
    'dist/oauth.js',
    '{ oauthServer }',
    '8.1 kB',
  ),
  check(
    '@tokenlane/core/oauth with DPoP (oauthServer, oauthDpop: oauth4webapi signs the token calls)',
    'dist/oauth.js',
    '{ oauthServer, oauthDpop }',
    '9.65 kB',
  ),
  check(
    '@tokenlane/core/dpop (dpop, with jose; only apps that bind tokens pay it)',
    'dist/dpop.js',
    '{ dpop }',
    '6.56 kB',
  ),
  check('@tokenlane/core/step-up (stepUp)', 'dist/step-up.js', '{ stepUp }', '0.62 kB'),
  check(
    '@tokenlane/core/session-end (onSessionEnding)',
    'dist/session-end.js',
    '{ onSessionEnding }',
    '0.29 kB',
  ),
  check('@tokenlane/core/idle (idleSignOut)', 'dist/idle.js', '{ idleSignOut }', '1.31 kB'),
  check(
    '@tokenlane/core/live (live, authedWebSocket)',
    'dist/live.js',
    '{ live, authedWebSocket }',
    // Alone; beside createFetchClient (whose wiring it shares) it adds 1.05 kB to an app.
    '1.75 kB',
  ),
  check(
    '@tokenlane/core/live (live, authedEventSource, with eventsource-parser)',
    'dist/live.js',
    '{ live, authedEventSource }',
    // Alone; beside createFetchClient it adds 2.45 kB to an app. 3.25 -> 3.30 kB: the stream sends
    // the profile's header (BFF mode), +13 B.
    '3.30 kB',
  ),
  check(
    '@tokenlane/core/otel (otelTracing; @opentelemetry/api is a peer, left out)',
    'dist/otel.js',
    '{ otelTracing }',
    '0.9 kB',
  ),
];
