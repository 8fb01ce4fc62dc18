import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createMemoryLock, type LockFunc } from '../../session/lock.js';
import { bodyTokenServer } from '../../session/serverProfile.js';
import type { AuthUser } from '../../session/types.js';
import { createFetchClient } from '../../fetch/createFetchClient.js';
import { createServer, scheduledChannels, stillTime } from './scheduledWorld.js';

// fast-check's scheduler orders everything asynchronous between three tabs: each request's start,
// its trip to the server and its answer's trip back, every lock grant, every cross-tab message, and
// a sign-in as another user in one of the tabs. Time does not move (timers never fire): the server
// alone decides that the access token has expired.

const numRuns = Number(process.env.FC_RUNS ?? 200);
const seed = Number(process.env.FC_SEED ?? 20_261_130);
const TABS = 3;

/** One run: everyone signed in as ada, the token expired, then requests and a sign-in as bob. */
async function run(
  s: fc.Scheduler,
  refreshTokenIn: 'cookie' | 'body',
  requestsPerTab: number[],
  switchTab: number,
) {
  const server = createServer(refreshTokenIn);
  const connect = scheduledChannels(s);
  const memoryLock = createMemoryLock(stillTime);
  /** The browser's lock, each grant reaching its tab when the scheduler says. */
  const lock: LockFunc = (name, ms, fn) =>
    memoryLock(name, ms, (grant) => s.schedule(Promise.resolve(), 'lock').then(() => fn(grant)));
  let scheduled = false;
  const fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(input instanceof Request ? input.url : input.toString());
    const body = init?.body ? (JSON.parse(init.body as string) as Record<string, string>) : {};
    const authorization = new Headers(init?.headers).get('Authorization');
    const trip = (label: string) =>
      scheduled ? s.schedule(Promise.resolve(), label) : Promise.resolve();
    await trip(`to ${url.pathname}`);
    const answer = server.handle(url.pathname, body, authorization);
    await trip(`from ${url.pathname}`);
    if (answer.status === 204) return new Response(null, { status: 204 });
    return Response.json(answer.json ?? { error: 'refused' }, { status: answer.status });
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
          userField: 'user',
        }),
      }),
    }),
  );
  // Signed in as ada before the scheduler takes over, every tab told.
  await s.waitFor(tabs[0]!.login({ email: 'ada@tokenlane.dev', password: 'pw' }));
  await s.waitIdle();
  server.expire();
  scheduled = true;
  /** Per request: whom its tab showed when it began, and whom it ran as (or its error). */
  const outcomes: { began: string | undefined; ranAs: string }[] = [];
  const requests = tabs.flatMap((tab, i) =>
    Array.from({ length: requestsPerTab[i]! }, () =>
      s.schedule(Promise.resolve(), `request in tab ${i}`).then(async () => {
        const began = tab.getState().user?.id;
        const ranAs = await tab.fetch('/api/data').then(
          async (response) => ((await response.json()) as { ranAs: string }).ranAs,
          (error: Error) => error.name,
        );
        outcomes.push({ began, ranAs });
      }),
    ),
  );
  const signIn = s
    .schedule(Promise.resolve(), `bob signs in in tab ${switchTab}`)
    .then(() => tabs[switchTab]!.login({ email: 'bob@tokenlane.dev', password: 'pw' }));
  await s.waitFor(Promise.all([...requests, signIn]));
  await s.waitIdle();
  return { server, outcomes, shown: tabs.map((tab) => tab.getState().user?.id) };
}

describe('interleavings of requests, answers, lock grants, messages and a sign-in (fc.scheduler)', () => {
  it.each(['cookie', 'body'] as const)(
    "refresh token in a %s: every request runs as the user it began as (or fails session_changed), every tab ends as bob, only his session is live, at most one refresh of ada's, no rotated token presented",
    async (refreshTokenIn) => {
      await fc.assert(
        fc.asyncProperty(
          fc.scheduler(),
          fc.array(fc.integer({ min: 0, max: 4 }), { minLength: TABS, maxLength: TABS }),
          fc.integer({ min: 0, max: TABS - 1 }),
          async (s, requestsPerTab, switchTab) => {
            const { server, outcomes, shown } = await run(
              s,
              refreshTokenIn,
              requestsPerTab,
              switchTab,
            );
            for (const { began, ranAs } of outcomes) {
              if (ranAs !== began)
                expect({ began, ranAs }).toEqual({ began: 'ada', ranAs: 'SessionChangedError' });
            }
            expect(outcomes).toHaveLength(requestsPerTab.reduce((a, b) => a + b, 0));
            expect(shown).toEqual(['bob', 'bob', 'bob']);
            const [ada, bob] = server.families;
            expect({ ada: ada!.revoked, bob: bob!.revoked }).toEqual({ ada: true, bob: false });
            expect(server.families).toHaveLength(2);
            expect(ada!.rotations).toBeLessThanOrEqual(1);
            expect(bob!.rotations).toBe(0);
            expect(server.log.presentedAgain).toBe(0);
          },
        ),
        { numRuns, seed },
      );
    },
  );
});
