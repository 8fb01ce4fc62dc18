import { getAdapter, type AxiosAdapter } from 'axios';
import fetchCookie from 'fetch-cookie';
import {
  createAuthClient,
  type AuthUser,
  type LoginCredentials,
  type SessionClientOptions,
} from '@tokenlane/react-auth/client';
import { createFetchClient, type Session } from '@tokenlane/react-auth/fetch';
import { expireAccessToken } from '@tokenlane/react-auth/testing';
import type { withCookieJar } from './cookieJar.js';

/** A cookie jar, shared by every client ("tab") of one browser. */
export type Jar = ReturnType<typeof withCookieJar>;

/**
 * Requests marked with this header have their answer held back until `Probe.hold` settles, and
 * the `Authorization` they were sent with recorded: a 401 that arrives late.
 */
export const HOLD = 'X-Test-Hold';

/** What a test watches on marked requests. */
export interface Probe {
  sentWith: string[];
  hold: Promise<void>;
}

/** A session and a way to send requests through it, whichever transport it uses. */
export interface TestClient<TCredentials = LoginCredentials> extends Session<
  AuthUser,
  TCredentials
> {
  /** GET `path` through the authed transport; resolves with the status, rejects unless 2xx. */
  get(path: string, options?: { held?: boolean }): Promise<number>;
  /** Treats the access token as expired now (the server is not told): the next request renews it. */
  expire(): void;
}

/** How a test builds a client on one transport. */
export interface Transport {
  name: 'axios' | 'fetch';
  create<TCredentials = LoginCredentials>(
    options: SessionClientOptions<AuthUser, TCredentials>,
    jar: Jar,
    probe?: Probe,
  ): TestClient<TCredentials>;
}

const heldHeaders = (held = false) => (held ? { [HOLD]: '1' } : undefined);

/** The axios client, its cookie jar in an http agent. */
export const axiosTransport: Transport = {
  name: 'axios',
  create<TCredentials>(
    options: SessionClientOptions<AuthUser, TCredentials>,
    jar: Jar,
    probe?: Probe,
  ): TestClient<TCredentials> {
    const http = getAdapter('http');
    const adapter: AxiosAdapter = async (config) => {
      const held = probe && config.headers.has(HOLD);
      if (held) probe.sentWith.push(String(config.headers.Authorization));
      try {
        return await http(config);
      } finally {
        if (held) await probe.hold;
      }
    };
    const client = createAuthClient<AuthUser, TCredentials>({
      ...options,
      http: { ...jar.http, adapter },
    });
    return {
      ...client,
      expire: () => expireAccessToken(client),
      get: async (path, { held } = {}) =>
        (await client.axios.get(path, { headers: heldHeaders(held) })).status,
    };
  },
};

/**
 * `fetch` with at most `connections` requests waiting for their answers, the rest queued in order: the jar's
 * connection limit (`withCookieJar(jar, { maxSockets: 6 })`, as a browser's per host) for fetch.
 */
function perOrigin(connections: number): typeof fetch {
  if (!Number.isFinite(connections)) return fetch;
  let active = 0;
  const queue: Array<() => void> = [];
  return async (input, init) => {
    if (active < connections) active++;
    else await new Promise<void>((resolve) => queue.push(resolve));
    try {
      return await fetch(input, init);
    } finally {
      const next = queue.shift();
      if (next) next();
      else active--;
    }
  };
}

/** The fetch client, its cookie jar in `fetch-cookie`. */
export const fetchTransport: Transport = {
  name: 'fetch',
  create<TCredentials>(
    options: SessionClientOptions<AuthUser, TCredentials>,
    jar: Jar,
    probe?: Probe,
  ): TestClient<TCredentials> {
    const withCookies = fetchCookie(perOrigin(jar.http.httpAgent.maxSockets), jar.jar);
    const underlying: typeof fetch = async (input, init) => {
      const request = new Request(input, init);
      const held = probe && request.headers.has(HOLD);
      if (held) probe.sentWith.push(String(request.headers.get('Authorization')));
      try {
        return await withCookies(request.url, {
          method: request.method,
          headers: request.headers,
          body: request.body === null ? undefined : await request.arrayBuffer(),
        });
      } finally {
        if (held) await probe.hold;
      }
    };
    const client = createFetchClient<AuthUser, TCredentials>({ ...options, fetch: underlying });
    return {
      ...client,
      expire: () => expireAccessToken(client),
      async get(path, { held } = {}) {
        const response = await client.fetch(path, { headers: heldHeaders(held) });
        await response.arrayBuffer();
        if (!response.ok) throw new Error(`HTTP ${response.status} from ${path}`);
        return response.status;
      },
    };
  },
};

export const transports = [axiosTransport, fetchTransport];

/**
 * Declares `tests` over `transport` only when it is `only`. A scenario that waits out real token
 * lifetimes (seconds each) runs over one transport: the refresh logic under both is the one core,
 * and each transport's own part (headers, retries, bodies) runs over both in the fast tests. A
 * file gives its slow scenarios to the two in turn, so each still meets that server's lifetimes.
 */
export function onlyOver(transport: Transport, only: Transport['name'], tests: () => void): void {
  if (transport.name === only) tests();
}
