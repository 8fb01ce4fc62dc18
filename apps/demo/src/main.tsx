import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import {
  AuthProvider,
  bffServer,
  createAuthClient,
  createFetchClient,
} from '@tokenlane/react-auth';
import { dpop } from '@tokenlane/react-auth/dpop';
import { lazy, StrictMode, Suspense } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.js';
import { bffModeOf, dpopOf, transportOf } from './demoApi.js';
import { createEventLog } from './eventLog.js';
import {
  browserOAuthDemo,
  CALLBACK_PATH,
  createBffOAuthDemo,
  createOAuthDemo,
  OAuthApp,
  oauthConfig,
} from './oauth/OAuthApp.js';
import { idle, watchIdleEnd } from './idle.js';
import { liveUpdates } from './liveTodos.js';
import { steps } from './stepUp.js';
import { tracing } from './tracing.js';
import './styles.css';

// `?transport=fetch` runs the same screens over the fetch client (no axios in its requests).
const transport = transportOf(location.search);
// `?dpop=on` binds the tokens to a key this browser cannot export (RFC 9449): a copied token is
// worthless without it. The API runs with DPOP=optional, so both work.
const binding = dpopOf(location.search) ? [dpop()] : [];
const queryClient = new QueryClient({ defaultOptions: { queries: { staleTime: 5_000 } } });

// The devtools panel, in development (and with `?devtools` in a production build): its own chunk,
// loaded only then.
const Devtools =
  import.meta.env.DEV || new URLSearchParams(location.search).has('devtools')
    ? lazy(() =>
        import('@tokenlane/react-auth/devtools').then((m) => ({ default: m.TokenlaneDevtools })),
      )
    : null;
const devtools = Devtools ? (
  <Suspense fallback={null}>
    <Devtools stepUp={steps} trace={tracing} />
  </Suspense>
) : null;

const root = createRoot(document.getElementById('root')!);
const oauthScreen = new URLSearchParams(location.search).get('server') === 'oauth';
const oauth =
  oauthScreen || location.pathname === CALLBACK_PATH ? oauthConfig(location.search) : null;

if (oauthScreen && bffModeOf(location.search)) {
  // The OAuth screen behind the BFF on an OpenID provider (apps/bff with UPSTREAM=oidc).
  root.render(
    <StrictMode>
      <OAuthApp {...createBffOAuthDemo()} />
    </StrictMode>,
  );
} else if (oauth) {
  // The OAuth mode: an OpenID provider instead of Tokenlane's API (see src/oauth).
  const { client, provider } = createOAuthDemo(oauth);
  root.render(
    <StrictMode>
      <QueryClientProvider client={queryClient}>
        <OAuthApp {...browserOAuthDemo(client, provider)} />
      </QueryClientProvider>
    </StrictMode>,
  );
} else {
  // One provider whichever client the page runs on: the hooks hand queryFn the client's `api`.
  // `?mode=bff`: the BFF holds the tokens (apps/bff); the page sends its cookie and the custom
  // header, and never sees a token (DPoP binds a key in the browser: not in this mode). Step-up
  // works as it is: its new sign-in goes to the BFF, which starts a new session.
  const options = bffModeOf(location.search)
    ? { baseURL: '/', server: bffServer(), plugins: [steps, idle, tracing, liveUpdates] }
    : { baseURL: '/', plugins: [steps, idle, tracing, liveUpdates, ...binding] };
  const client = transport === 'fetch' ? createFetchClient(options) : createAuthClient(options);
  const log = createEventLog(client);
  watchIdleEnd(client);
  root.render(
    <StrictMode>
      <QueryClientProvider client={queryClient}>
        <AuthProvider client={client}>
          <App log={log} />
          {devtools}
        </AuthProvider>
      </QueryClientProvider>
    </StrictMode>,
  );
}
