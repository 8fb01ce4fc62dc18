import type { AxiosAdapter, AxiosResponse, InternalAxiosRequestConfig } from 'axios';
import {
  AuthRequestError,
  createMemoryLock,
  type ServerProfile,
  type AuthUser,
  type LoginCredentials,
  type TokenSet,
  type SessionClientOptions,
} from '@tokenlane/core';
import { isExpiryAnswer, type AuthTransport } from '@tokenlane/core/adapter';
import { createMemoryChannelHub } from '@tokenlane/core/testing';

/** What `createTestServer` starts from. */
export interface TestServerOptions<TUser> {
  /**
   * Signed in as this user (a reload restores the session), or signed out (`null`). `'loading'`
   * keeps the session restoring until `finishRestore(user)`, to render the loading state.
   */
  user: TUser | null | 'loading';
  /** Your API, answering each authed request whose token is valid (msw's handlers, or a function). */
  handler: (request: Request) => Response | Promise<Response>;
  /** Access token lifetime in seconds. @default 900 */
  expiresIn?: number;
}

/** A server in memory for component tests: the auth calls, your API behind a token check, controls. */
export interface TestServer<TUser> {
  /** Options for `createAuthClient` or `createFetchClient`: this server, no network, a private "browser". */
  clientOptions: SessionClientOptions<TUser> & {
    http: { adapter: AxiosAdapter };
    fetch: typeof fetch;
  };
  /** The access token in use stops being accepted: the next request is answered 401 and renewed. */
  expireToken(): void;
  /** The next refresh is refused (a revoked session): the client signs out. */
  refuseNextRefresh(): void;
  /** The next refresh cannot reach the server (the client keeps the session and retries with backoff). */
  failNextRefresh(): void;
  /** Another tab of the same browser logs out. */
  signOutElsewhere(): void;
  /** Ends a `'loading'` restore, signed in as `user` or signed out (`null`). */
  finishRestore(user: TUser | null): void;
  /** Refresh calls so far. */
  refreshCount(): number;
  /** Every request that reached your handler, in order. */
  requests: Request[];
}

/**
 * An in-memory server for testing components that use Tokenlane, with no network: pass
 * `clientOptions` to `createAuthClient` (its `axios` and `fetch` both reach `handler`) or to
 * `createFetchClient`. Requests carry a token the server checks; the controls expire it, refuse
 * or fail the next refresh, or log out "another tab".
 */
export function createTestServer<TUser = AuthUser>(
  options: TestServerOptions<TUser>,
): TestServer<TUser> {
  let user = options.user === 'loading' ? null : options.user;
  let issued = 0;
  let valid: string | null = null;
  let refreshes = 0;
  let nextRefresh: 'refuse' | 'fail' | null = null;
  const requests: Request[] = [];
  const hub = createMemoryChannelHub<TUser>();
  const elsewhere = hub.connect();
  // Another tab of the browser: it knows the latest sign-in, so its sign-out comes after it.
  let latestSeq = 0;
  elsewhere.subscribe((message) => {
    if ('seq' in message && typeof message.seq === 'number')
      latestSeq = Math.max(latestSeq, message.seq);
  });
  let finishRestore = () => {};
  let restoring: Promise<void> | undefined =
    options.user === 'loading'
      ? new Promise<void>((resolve) => (finishRestore = resolve))
      : undefined;

  const issue = (): TokenSet<TUser> => {
    valid = `test-token-${++issued}`;
    return { accessToken: valid, expiresIn: options.expiresIn ?? 900, user };
  };
  const refused = () => new AuthRequestError('invalid_grant', 'Session revoked', 401);

  const calls: AuthTransport<TUser, LoginCredentials> = {
    login: () => {
      if (user === null) user = { id: 'test-user' } as TUser;
      return Promise.resolve(issue());
    },
    async refresh() {
      refreshes++;
      if (restoring) await restoring;
      const outcome = nextRefresh;
      nextRefresh = null;
      if (outcome === 'fail') throw new AuthRequestError('network_error', 'Network error');
      if (outcome === 'refuse') user = null;
      if (user === null) throw refused();
      return issue();
    },
    logout: () => {
      user = null;
      valid = null;
      return Promise.resolve();
    },
  };

  const profile: ServerProfile<TUser, LoginCredentials> = {
    endpoints: { login: '', refresh: '' },
    refreshToken: 'cookie',
    calls: () => calls,
    loginBody: (credentials) => credentials,
    refreshBody: () => ({}),
    logoutBody: () => ({}),
    parseTokenResponse: (data) => data as TokenSet<TUser>,
    authorization: (token) => ['Authorization', `Bearer ${token}`],
    isExpired: isExpiryAnswer,
  };

  /** Your handler behind the token check every protected API makes. */
  const fetchImpl: typeof fetch = async (input, init) => {
    const request = new Request(input, init);
    const token = request.headers.get('Authorization')?.replace(/^Bearer /, '');
    if (token !== undefined && token !== valid) {
      return new Response(JSON.stringify({ error: 'invalid_token' }), {
        status: 401,
        headers: {
          'WWW-Authenticate': 'Bearer error="invalid_token"',
          'Content-Type': 'application/json',
        },
      });
    }
    requests.push(request.clone());
    return options.handler(request);
  };

  /** The same, for axios: a config in, an axios response out (errors as axios would reject). */
  const adapter: AxiosAdapter = async (config: InternalAxiosRequestConfig) => {
    const url = new URL(config.url ?? '', new URL(config.baseURL ?? '/', 'http://test.invalid'));
    const headers = new Headers();
    for (const [name, value] of Object.entries(config.headers.toJSON())) {
      if (value !== undefined && value !== null) headers.set(name, String(value));
    }
    const answer = await fetchImpl(url, {
      method: (config.method ?? 'get').toUpperCase(),
      headers,
      body: config.data as BodyInit | undefined,
    });
    const text = await answer.text();
    let data: unknown = text;
    try {
      data = text ? JSON.parse(text) : undefined;
    } catch {
      // Not JSON: the text as is.
    }
    const response: AxiosResponse = {
      data,
      status: answer.status,
      statusText: answer.statusText,
      headers: Object.fromEntries(answer.headers),
      config,
      request: {},
    };
    if (config.validateStatus && !config.validateStatus(answer.status)) {
      const error = Object.assign(new Error(`Request failed with status code ${answer.status}`), {
        isAxiosError: true,
        config,
        response,
        status: answer.status,
      });
      throw error;
    }
    return response;
  };

  return {
    clientOptions: {
      server: profile,
      baseURL: 'http://test.invalid',
      crossTab: { channel: hub.connect(), lock: createMemoryLock() },
      http: { adapter },
      fetch: fetchImpl,
    },
    expireToken: () => void (valid = null),
    refuseNextRefresh: () => void (nextRefresh = 'refuse'),
    failNextRefresh: () => void (nextRefresh = 'fail'),
    signOutElsewhere: () => elsewhere.post({ type: 'logout', seq: ++latestSeq, reason: 'user' }),
    finishRestore(restored) {
      user = restored;
      restoring = undefined;
      finishRestore();
    },
    refreshCount: () => refreshes,
    requests,
  };
}
