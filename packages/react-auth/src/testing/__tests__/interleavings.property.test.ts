import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AuthChannel, CrossTabMessage } from '../../core/channel.js';
import { createMemoryLock, type LockFunc } from '../../core/lock.js';
import type { Runtime } from '../../core/runtime.js';
import { bodyTokenServer } from '../../core/serverProfile.js';
import type { AuthUser } from '../../core/types.js';
import { createFetchClient } from '../../fetch/createFetchClient.js';

// fast-check's scheduler orders everything asynchronous between three tabs: each request's trip
// to the server and its answer's trip back, every lock grant, every cross-tab message. Time does
// not move (timers never fire): the server alone decides that the access token has expired.

const numRuns = Number(process.env.FC_RUNS ?? 200);
const seed = Number(process.env.FC_SEED ?? 20_261_130);
const TABS = 3;
const USER: AuthUser = { id: 'u1', email: 'u1@tokenlane.dev', name: 'U', role: 'user' };

/** A clock that never moves, and timers that never fire. */
const stillTime: Runtime = {
  now: () => Date.UTC(2026, 10, 30),
  setTimeout: () => 0,
  clearTimeout: () => {},
  random: () => 0.5,
  onWake: () => () => {},
};

/**
 * The token server: one access token valid at a time, the refresh token rotated on every use, a
 * rotated one presented again refused (no grace) and counted.
 */
function createServer(refreshTokenIn: 'cookie' | 'body') {
  let generation = 0;
  let expired = false;
  const log = { rotations: 0, presentedAgain: 0 };
  const cookie = { value: null as string | null };
  const tokens = (): { status: number; json?: { access: string; refresh: string } } => ({
    status: 200,
    json: { access: `a${generation}`, refresh: `r${generation}` },
  });
  return {
    log,
    cookie,
    /** The access token in hand stops being accepted, as at its expiry. */
    expire: () => void (expired = true),
    handle(
      path: string,
      body: { refresh?: string },
      authorization: string | null,
    ): { status: number; json?: { access: string; refresh: string } } {
      if (path === '/api/data') {
        return { status: !expired && authorization === `Bearer a${generation}` ? 200 : 401 };
      }
      if (path === '/auth/login') return tokens();
      const presented = (refreshTokenIn === 'body' ? body.refresh : cookie.value) ?? '';
      if (presented !== `r${generation}`) {
        if (Number(presented.slice(1)) < generation) log.presentedAgain++;
        return { status: 401 };
      }
      generation++;
      expired = false;
      log.rotations++;
      return tokens();
    },
  };
}

/** A hub whose messages arrive when the scheduler says; `settle()` waits for those on their way. */
function scheduledChannels(s: fc.Scheduler) {
  const members = new Set<(message: CrossTabMessage<AuthUser>) => void>();
  const onTheirWay = new Set<Promise<void>>();
  return (): AuthChannel<AuthUser> => {
    let mine: ((message: CrossTabMessage<AuthUser>) => void) | undefined;
    return {
      post(message) {
        for (const deliver of members) {
          if (deliver === mine) continue;
          const copy = structuredClone(message);
          const arrival = s.schedule(Promise.resolve(), 'message').then(() => deliver(copy));
          onTheirWay.add(arrival);
          void arrival.finally(() => onTheirWay.delete(arrival));
        }
      },
      subscribe(listener) {
        mine = listener;
        members.add(listener);
        return () => members.delete(listener);
      },
      close: () => mine && members.delete(mine),
      settle: () => Promise.all([...onTheirWay]).then(() => {}),
    };
  };
}

async function run(s: fc.Scheduler, refreshTokenIn: 'cookie' | 'body', requestsPerTab: number[]) {
  const server = createServer(refreshTokenIn);
  const connect = scheduledChannels(s);
  const memoryLock = createMemoryLock(stillTime);
  /** The browser's lock, each grant reaching its tab when the scheduler says. */
  const lock: LockFunc = (name, ms, fn) =>
    memoryLock(name, ms, (grant) => s.schedule(Promise.resolve(), 'lock').then(() => fn(grant)));
  let scheduled = false;
  const fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(input instanceof Request ? input.url : input.toString());
    const body = init?.body ? (JSON.parse(init.body as string) as { refresh?: string }) : {};
    const authorization = new Headers(init?.headers).get('Authorization');
    const trip = <T>(value: T, label: string) =>
      scheduled ? s.schedule(Promise.resolve(value), label) : Promise.resolve(value);
    await trip(null, `to ${url.pathname}`);
    const answer = server.handle(url.pathname, body, authorization);
    await trip(null, `from ${url.pathname}`);
    if (answer.status === 200 && answer.json && refreshTokenIn === 'cookie') {
      server.cookie.value = answer.json.refresh;
    }
    if (answer.status !== 200) return Response.json({ error: 'refused' }, { status: 401 });
    if (!answer.json) return Response.json({ ok: true });
    return refreshTokenIn === 'body'
      ? Response.json(answer.json)
      : Response.json({ accessToken: answer.json.access, user: USER });
  };
  const tabs = Array.from({ length: TABS }, () =>
    createFetchClient<AuthUser>({
      baseURL: 'https://app.test',
      fetch,
      runtime: stillTime,
      crossTab: { lock, channel: connect() },
      ...(refreshTokenIn === 'body' && {
        server: bodyTokenServer<AuthUser>({
          login: '/auth/login',
          refresh: '/auth/refresh',
          logout: '/auth/logout',
        }),
      }),
    }),
  );
  // Signed in before the scheduler takes over, every tab told.
  // (The sign-in waits for the refresh lock, whose grant the scheduler hands over.)
  await s.waitFor(tabs[0]!.login({ email: USER.email, password: 'pw' }));
  await s.waitIdle();
  server.expire();
  scheduled = true;
  const outcomes: string[] = [];
  const requests = tabs.flatMap((tab, i) =>
    Array.from({ length: requestsPerTab[i]! }, () =>
      tab.fetch('/api/data').then(
        (response) => void outcomes.push(String(response.status)),
        (error: Error) => void outcomes.push(error.name),
      ),
    ),
  );
  await s.waitFor(Promise.all(requests));
  return { server, outcomes };
}

describe('interleavings of requests, answers, lock grants and messages (fc.scheduler)', () => {
  it.each(['cookie', 'body'] as const)(
    'refresh token in a %s: one refresh for the whole browser, no rotated token presented, every request answered 200',
    async (refreshTokenIn) => {
      await fc.assert(
        fc.asyncProperty(
          fc.scheduler(),
          fc.array(fc.integer({ min: 0, max: 4 }), { minLength: TABS, maxLength: TABS }),
          async (s, requestsPerTab) => {
            const { server, outcomes } = await run(s, refreshTokenIn, requestsPerTab);
            const sent = requestsPerTab.reduce((a, b) => a + b, 0);
            expect(outcomes).toEqual(Array.from({ length: sent }, () => '200'));
            expect(server.log.presentedAgain).toBe(0);
            expect(server.log.rotations).toBe(sent === 0 ? 0 : 1);
          },
        ),
        { numRuns, seed },
      );
    },
  );
});
