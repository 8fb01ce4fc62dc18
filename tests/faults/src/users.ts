import { DEMO } from '@tokenlane/test-harness';
import type { AuthUser, SessionClientOptions } from '@tokenlane/react-auth/client';
import { withCookieJar } from '@tokenlane/test-servers/cookieJar';
import {
  axiosTransport,
  type Jar,
  fetchTransport,
  type TestClient,
} from '@tokenlane/test-servers/transports';
import { sleep } from './faults.js';

/** One request of a simulated user, as it ended. */
export interface Outcome {
  start: number;
  end: number;
  ok: boolean;
  /** The error's class name (`AxiosError`, `RefreshFailedError`, `TypeError`, ...). */
  error?: string | undefined;
}

/** A user in steady use: a browser (its own cookie jar, no other tab) and its request log. */
export interface SimUser {
  transport: 'axios' | 'fetch';
  client: TestClient;
  /** Its browser's cookie jar. */
  jar: Jar['jar'];
  outcomes: Outcome[];
  /** `session-expired` events: a session ended without a sign-out. */
  expirations: number;
  /** When the request in flight started, if one is. */
  inFlightSince: number | undefined;
}

/** Simulated users; see `startUsers`. */
export interface Users {
  list: SimUser[];
  /** Stops every loop; resolves once every request in flight has ended (or `hangMs` passed). */
  stop(hangMs?: number): Promise<{ hung: number }>;
}

/** Loops stop by themselves after this long, whatever the test does. */
const MAX_RUN_MS = 15 * 60_000;

/**
 * `count` users of the package's own clients (half axios, half fetch; a cookie jar each,
 * `crossTab: false`, real timers so they renew as a browser would), each signed in (a family of
 * its own) and then sending `GET /api/todos` every `intervalMs` after the previous answer.
 */
export async function startUsers(
  baseURL: string,
  {
    count = 20,
    intervalMs = 400,
    path = '/api/todos',
    server,
    login = (user) => user.client.login({ email: DEMO.email, password: DEMO.password }),
  }: {
    count?: number;
    intervalMs?: number;
    /** What each user GETs. */
    path?: string;
    /** The client's server profile (`bffServer()` behind a BFF). */
    server?: SessionClientOptions<AuthUser>['server'];
    /** How a user signs in. @default `client.login` with the demo user's password */
    login?: (user: SimUser) => Promise<unknown>;
  } = {},
): Promise<Users> {
  const list: SimUser[] = Array.from({ length: count }, (_, index) => {
    const transport = index % 2 === 0 ? axiosTransport : fetchTransport;
    const jar = withCookieJar();
    const client = transport.create({ baseURL, crossTab: false, server }, jar);
    const user: SimUser = {
      transport: transport.name,
      client,
      jar: jar.jar,
      outcomes: [],
      expirations: 0,
      inFlightSince: undefined,
    };
    client.on('session-expired', () => user.expirations++);
    return user;
  });
  for (let i = 0; i < list.length; i += 5) {
    await Promise.all(list.slice(i, i + 5).map((user) => login(user)));
  }
  let running = true;
  const deadline = Date.now() + MAX_RUN_MS;
  const loops = list.map(async (user) => {
    while (running && Date.now() < deadline) {
      const start = Date.now();
      user.inFlightSince = start;
      try {
        await user.client.get(path);
        user.outcomes.push({ start, end: Date.now(), ok: true });
      } catch (error) {
        const name = error instanceof Error ? error.constructor.name : typeof error;
        user.outcomes.push({ start, end: Date.now(), ok: false, error: name });
      }
      user.inFlightSince = undefined;
      await sleep(intervalMs);
    }
  });
  return {
    list,
    async stop(hangMs = 30_000) {
      running = false;
      const all = Promise.all(loops).then(() => 'done' as const);
      const outcome = await Promise.race([all, sleep(hangMs).then(() => 'hung' as const)]);
      const hung =
        outcome === 'hung' ? list.filter((u) => u.inFlightSince !== undefined).length : 0;
      list.forEach((user) => user.client.dispose());
      return { hung };
    },
  };
}
