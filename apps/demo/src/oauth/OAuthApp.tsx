import {
  AuthGate,
  AuthProvider,
  bffLoginUrl,
  bffServer,
  createFetchClient,
  useAuth,
  type FetchClient,
} from '@tokenlane/react-auth';
import {
  oauthDpop,
  oauthServer,
  type OAuthCallback,
  type OAuthServerProfile,
} from '@tokenlane/react-auth/oauth';
import { dpop } from '@tokenlane/react-auth/dpop';
import { useState } from 'react';

// The demo's OAuth mode (`/?server=oauth&issuer=...&client_id=...`): sign in at an OpenID
// provider with PKCE, then call its userinfo endpoint (`/me`) through client.fetch. The refresh
// token travels in the body and is kept in localStorage so that a second tab can join (the
// trade-off the README describes); the tabs share every rotation.
// With `&mode=bff` (and apps/bff on an OpenID provider, UPSTREAM=oidc), the same screen runs
// behind the BFF: sign-in is a navigation to it, `/me` goes through its proxy (`/bff-api`), and
// the page never holds a token.

type User = { sub: string };
type Client = FetchClient<User, OAuthCallback>;
const CONFIG_KEY = 'tokenlane-demo:oauth';
export const CALLBACK_PATH = '/oauth/callback';

/** The demo's OAuth settings: the provider, and whether tokens are bound to a DPoP key. */
export interface OAuthConfig {
  issuer: string;
  clientId: string;
  dpop: boolean;
}

/** The provider to use: from the query, remembered for the redirect back. */
export function oauthConfig(search: string): OAuthConfig | null {
  const query = new URLSearchParams(search);
  const issuer = query.get('issuer');
  if (issuer) {
    const config = {
      issuer,
      clientId: query.get('client_id') ?? 'tokenlane-demo',
      dpop: query.get('dpop') === 'on',
    };
    sessionStorage.setItem(CONFIG_KEY, JSON.stringify(config));
    localStorage.setItem(CONFIG_KEY, JSON.stringify(config));
    return config;
  }
  const saved = sessionStorage.getItem(CONFIG_KEY) ?? localStorage.getItem(CONFIG_KEY);
  return saved ? (JSON.parse(saved) as OAuthConfig) : null;
}

export function createOAuthDemo({ issuer, clientId, dpop: bound }: OAuthConfig) {
  const provider = oauthServer<User>({
    issuer,
    clientId,
    redirectUri: `${location.origin}${CALLBACK_PATH}`,
    scope: 'openid offline_access',
    authorizationParams: { prompt: 'consent' },
    allowInsecureRequests: issuer.startsWith('http:'),
    // Only a bound session needs oauth4webapi's DPoP (an app without it ships none).
    ...(bound && { dpop: oauthDpop }),
  });
  const client: Client = createFetchClient<User, OAuthCallback>({
    baseURL: issuer,
    server: provider,
    storage: localStorage,
    // The same key in every tab (IndexedDB): the tokens, the code included, are bound to it.
    plugins: bound ? [dpop()] : [],
  });
  // Back from the provider: finish the login once (outside React, so StrictMode cannot repeat it).
  if (location.pathname === CALLBACK_PATH) {
    const callbackUrl = location.href;
    history.replaceState(null, '', '/?server=oauth');
    void client.login({ callbackUrl }).catch((error: unknown) => console.warn(error));
  }
  return { provider, client };
}

/** Where the BFF sends the browser back to after its login. */
const BFF_RETURN = '/?mode=bff&server=oauth';

/** The OAuth screen behind the BFF: the page's client holds a session mark, never a token. */
export function createBffOAuthDemo(): ScreenProps {
  return {
    client: createFetchClient<User, OAuthCallback>({
      baseURL: '/',
      server: bffServer<User, OAuthCallback>(),
    }),
    signIn: () => location.assign(bffLoginUrl({ returnTo: BFF_RETURN })),
    mePath: '/bff-api',
    note: 'Tokens held by the BFF: this page never sees one.',
  };
}

/** The OAuth screen in the browser: sign in at the provider with PKCE, tokens in the page. */
export function browserOAuthDemo(client: Client, provider: OAuthServerProfile<User>): ScreenProps {
  return {
    client,
    signIn: () => void provider.authorizationUrl().then((url) => location.assign(url)),
    mePath: '/me',
    note: oauthConfig('')?.dpop
      ? 'Tokens bound to a DPoP key this browser cannot export.'
      : 'Bearer tokens (add dpop=on to the address to bind them to a key).',
  };
}

interface ScreenProps {
  client: Client;
  /** Starts the sign-in (a navigation). */
  signIn: () => void;
  /** The provider's userinfo endpoint, as the client reaches it. */
  mePath: string;
  /** Where the tokens are. */
  note: string;
}

export function OAuthApp({ client, signIn, mePath, note }: ScreenProps) {
  return (
    <AuthProvider client={client}>
      <main className="oauth">
        <h1>Sign in with an OpenID provider</h1>
        <AuthGate
          loading={<p role="status">Restoring your session…</p>}
          fallback={
            <button type="button" data-testid="oauth-login" onClick={signIn}>
              Sign in with the provider
            </button>
          }
        >
          <SignedIn client={client} mePath={mePath} note={note} />
        </AuthGate>
      </main>
    </AuthProvider>
  );
}

const BURST = 50;

// The client comes as a prop, typed as the fetch client it is (`useAuthClient()` would give the
// demo's registered `api`, either transport's).
function SignedIn({ client, mePath, note }: Omit<ScreenProps, 'signIn'>) {
  const { user, logout } = useAuth<User>();
  const [burst, setBurst] = useState('');
  const [pings, setPings] = useState({ ok: 0, failed: 0 });

  async function fire() {
    let refreshes = 0;
    const stop = client.on('refresh-start', () => refreshes++);
    const started = performance.now();
    const answers = await Promise.allSettled(
      Array.from({ length: BURST }, () => client.fetch(mePath).then((r) => r.ok && r.json())),
    );
    stop();
    const ok = answers.filter((a) => a.status === 'fulfilled' && a.value).length;
    const ms = Math.round(performance.now() - started);
    setBurst(
      `${ok}/${BURST} succeeded · ${refreshes} refresh call${refreshes === 1 ? '' : 's'} · ${ms} ms`,
    );
  }

  async function ping() {
    const ok = await client.fetch(mePath).then(
      (r) => r.ok,
      () => false,
    );
    setPings((count) =>
      ok ? { ...count, ok: count.ok + 1 } : { ...count, failed: count.failed + 1 },
    );
  }

  return (
    <section className="card">
      <p>
        Signed in as <strong data-testid="oauth-user">{user?.sub}</strong>
      </p>
      <p className="muted" data-testid="oauth-binding">
        {note}
      </p>
      <button type="button" data-testid="oauth-ping" onClick={() => void ping()}>
        Call /me
      </button>{' '}
      <span data-testid="oauth-pings">
        {pings.ok} ok, {pings.failed} failed
      </span>
      <p>
        <button type="button" data-testid="burst-button" onClick={() => void fire()}>
          Fire {BURST} parallel requests
        </button>
      </p>
      <p data-testid="burst-result" aria-live="polite">
        {burst}
      </p>
      <button type="button" className="ghost" onClick={() => void logout()}>
        Log out
      </button>
    </section>
  );
}
