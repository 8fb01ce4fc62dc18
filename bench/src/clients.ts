// The three clients compared, each configured as its own documentation shows.
import { DEMO } from '@tokenlane/test-harness';
import { createAuthClient, type Runtime } from '@tokenlane/react-auth/client';
import { createFetchClient } from '@tokenlane/react-auth/fetch';
import fetchCookie from 'fetch-cookie';
import axios, { type AxiosError, type InternalAxiosRequestConfig } from 'axios';
import { createAuthRefresh } from 'axios-auth-refresh';
import { HttpCookieAgent } from 'http-cookie-agent/http';
import { CookieJar } from 'tough-cookie';

export type ClientName = 'tokenlane' | 'tokenlane-fetch' | 'naive' | 'axios-auth-refresh';
export const CLIENTS: ClientName[] = [
  'tokenlane',
  'tokenlane-fetch',
  'naive',
  'axios-auth-refresh',
];

export interface BenchClient {
  name: ClientName;
  /** GET `path` the way the app would; resolves on 2xx, rejects otherwise. */
  get(path: string): Promise<unknown>;
  login(): Promise<void>;
  dispose(): void;
}

/** The same transport for everyone: a keep-alive agent with a cookie jar (the browser's role). */
function transport() {
  const jar = new CookieJar();
  // http-cookie-agent's types name tough-cookie's CommonJS declarations; the class is the same.
  const cookies = { jar } as unknown as ConstructorParameters<typeof HttpCookieAgent>[0]['cookies'];
  return new HttpCookieAgent({ cookies, keepAlive: true, maxSockets: 512 });
}

const CSRF = { 'Content-Type': 'application/json', 'X-Requested-With': 'XMLHttpRequest' };

/**
 * A tab whose clock and timers are frozen (a sleeping laptop): Tokenlane cannot refresh ahead of
 * time, so its requests go out with an expired token like everyone else's. Only the burst
 * benchmarks use it; the steady-state one runs Tokenlane as shipped.
 */
const frozenAt = Date.now();
export const FROZEN: Partial<Runtime> = {
  now: () => frozenAt,
  setTimeout: () => 0,
  clearTimeout: () => {},
};

export function createClient(
  name: ClientName,
  baseURL: string,
  options: { frozen?: boolean } = {},
): BenchClient {
  if (name === 'tokenlane-fetch') {
    // Node's fetch (undici, keep-alive), with a cookie jar in fetch-cookie.
    const client = createFetchClient({
      baseURL,
      fetch: fetchCookie(fetch, new CookieJar()),
      crossTab: false,
      ...(options.frozen ? { runtime: FROZEN } : {}),
    });
    return {
      name,
      async get(path) {
        const response = await client.fetch(path);
        await response.arrayBuffer();
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
      },
      login: async () => void (await client.login({ email: DEMO.email, password: DEMO.password })),
      dispose: () => client.dispose(),
    };
  }
  const httpAgent = transport();
  if (name === 'tokenlane') {
    const client = createAuthClient({
      baseURL,
      http: { httpAgent },
      crossTab: false,
      ...(options.frozen ? { runtime: FROZEN } : {}),
    });
    return {
      name,
      get: (path) => client.axios.get(path),
      login: async () => void (await client.login({ email: DEMO.email, password: DEMO.password })),
      dispose: () => client.dispose(),
    };
  }

  let token: string | null = null;
  const http = axios.create({ baseURL, httpAgent });
  const login = async () => {
    const { data } = await axios.post<{ accessToken: string }>(`${baseURL}/auth/login`, DEMO, {
      httpAgent,
      headers: CSRF,
    });
    token = data.accessToken;
  };
  const refresh = () =>
    axios.post<{ accessToken: string }>(
      `${baseURL}/auth/refresh`,
      {},
      { httpAgent, headers: CSRF },
    );
  http.interceptors.request.use((config) => {
    if (token) config.headers.Authorization = `Bearer ${token}`;
    return config;
  });

  if (name === 'naive') {
    // The widespread recipe: on 401/403, refresh, then retry the request once.
    http.interceptors.response.use(undefined, async (error: AxiosError) => {
      const original = error.config as
        (InternalAxiosRequestConfig & { _retry?: boolean }) | undefined;
      if (
        original &&
        (error.response?.status === 401 || error.response?.status === 403) &&
        !original._retry
      ) {
        original._retry = true;
        token = (await refresh()).data.accessToken;
        return http(original);
      }
      throw error;
    });
  } else {
    // axios-auth-refresh, as its README shows: a refresh function that updates the token and
    // the failed request's header; default options.
    // Its types name axios's CommonJS declarations; the instance is the same.
    createAuthRefresh(
      http as unknown as Parameters<typeof createAuthRefresh>[0],
      async (failedRequest: { response: { config: InternalAxiosRequestConfig } }) => {
        token = (await refresh()).data.accessToken;
        failedRequest.response.config.headers.Authorization = `Bearer ${token}`;
      },
    );
  }
  return { name, get: (path) => http.get(path), login, dispose: () => httpAgent.destroy() };
}
