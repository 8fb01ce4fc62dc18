import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { OpenSession } from '../sessions.js';
import { withRequestScope } from '../serverSession.js';
import { serverWorld, TTL_MS, turns, type Fate } from './support/serverWorld.js';

// The same races as the session simulator's, with server participants (issue 34): middleware
// reading the session, server renders asking for the token from parallel components, route
// handlers, the tabs' proxied calls, on three instances, beside lost and late answers and a
// caller that arrives 1 ms after a refresh settled holding the session it read before. Every
// generated run: one upstream refresh per rotation (none before it is needed), zero reuse, every
// call ends, and a failure only where an answer was lost.

/** Runs per property; `FC_RUNS` raises it for a longer search. */
const numRuns = Number(process.env.FC_RUNS ?? 200);
/** Fixed unless `FC_SEED` says otherwise: a failure prints its seed and path, and replays. */
const seed = Number(process.env.FC_SEED ?? 20_261_207);

const INSTANCES = 3;
type Step =
  | { kind: 'middleware' | 'tab' | 'late'; instance: number }
  | { kind: 'render'; instance: number; calls: number }
  | { kind: 'advance'; ms: number }
  | { kind: 'settle'; turns: number }
  | { kind: 'fate'; fate: Fate };

const instance = fc.integer({ min: 0, max: INSTANCES - 1 });
/** One server request, a tab's call, a late caller, or a little time passing among them. */
const participant: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('render' as const),
      instance,
      calls: fc.integer({ min: 1, max: 20 }),
    }),
  },
  fc.record({
    kind: fc.constantFrom('middleware' as const, 'tab' as const, 'late' as const),
    instance,
  }),
  fc.record({ kind: fc.constant('advance' as const), ms: fc.integer({ min: 1, max: 2_000 }) }),
  fc.record({ kind: fc.constant('settle' as const), turns: fc.integer({ min: 0, max: 20 }) }),
);
/**
 * Rounds: time passes (often into the token's last `leewayMs`), the provider's next answers are
 * slow or lost, then a burst of participants on the three instances.
 */
const script = (lossy: boolean): fc.Arbitrary<Step[]> =>
  fc
    .array(
      fc.tuple(
        fc.integer({ min: 0, max: 65_000 }),
        fc.array(
          fc.record({
            hops: fc.integer({ min: 0, max: 30 }),
            lost: lossy ? fc.boolean() : fc.constant(false),
          }),
          { maxLength: 3 },
        ),
        fc.array(participant, { minLength: 1, maxLength: 12 }),
      ),
      { minLength: 1, maxLength: 5 },
    )
    .map((rounds) =>
      rounds.flatMap(([ms, fates, burst]): Step[] => [
        { kind: 'advance', ms },
        ...fates.map((fate): Step => ({ kind: 'fate', fate })),
        ...burst,
      ]),
    );

/** Plays a script; resolves with every call's outcome once all have ended, and the counts. */
async function run(script: Step[], storeDelays: number[]) {
  const world = await serverWorld(INSTANCES, storeDelays);
  const { clock, bffs, provider, headers, sessions, sessionId } = world;
  const calls: Array<Promise<{ token: string; at: number } | { error: unknown }>> = [];
  const track = (call: Promise<string>) =>
    calls.push(
      call.then(
        (token) => ({ token, at: clock.now() }),
        (error: unknown) => ({ error }),
      ),
    );
  const tokenOf = (session: OpenSession) => session.tokens.accessToken;
  for (const s of script) {
    switch (s.kind) {
      case 'render': {
        const { getSession } = bffs[s.instance]!;
        // One request: its components ask at once, each with the request's headers.
        const request = headers();
        withRequestScope(() => {
          for (let i = 0; i < s.calls; i++) {
            track(getSession(request).then((session) => session!.accessToken()));
          }
        });
        break;
      }
      case 'middleware':
        track(
          bffs[s.instance]!.getSession(headers()).then((session) => session!.user.sub as string),
        );
        break;
      case 'tab': {
        const { refresher } = bffs[s.instance]!;
        track(
          sessions
            .open(sessionId)
            .then((read) => refresher.fresh(read!))
            .then(tokenOf),
        );
        break;
      }
      case 'late': {
        // Read now; ask once everything under way has settled, 1 ms later.
        const { refresher } = bffs[s.instance]!;
        const read = (await sessions.open(sessionId))!;
        await Promise.all(calls);
        clock.advance(1);
        track(refresher.fresh(read).then(tokenOf));
        break;
      }
      case 'advance':
        // Up to 2 s passes beside the calls under way; a longer time passes between bursts
        // (longer than a request waits for another's refresh, `waitMs`: a paused process).
        await (s.ms > 2_000 ? Promise.all(calls) : turns(1));
        clock.advance(s.ms);
        break;
      case 'settle':
        await turns(s.turns);
        break;
      case 'fate':
        provider.fates.push(s.fate);
        break;
    }
  }
  const outcomes = await Promise.all(calls);
  // A last round on a healthy network after an expiry: every instance renders, one refresh.
  provider.fates.length = 0;
  const refreshes = () => provider.counts.rotations + provider.counts.recoveries;
  const before = refreshes();
  clock.advance(TTL_MS);
  const last = await Promise.all(
    bffs.map(({ getSession }) => getSession(headers()).then((session) => session!.accessToken())),
  );
  await world.close();
  return { outcomes, last, lastRefreshes: refreshes() - before, world };
}

describe('server races, generated (fast-check): middleware, renders, route handlers and tabs on three instances', () => {
  it.each([false, true])(
    'a provider with rotation and no reuse grace (lost answers: %s): one refresh per rotation, zero reuse, every call ends',
    async (lossy) => {
      await fc.assert(
        fc.asyncProperty(
          script(lossy),
          fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 16 }),
          async (script, storeDelays) => {
            const { outcomes, last, lastRefreshes, world } = await run(script, storeDelays);
            const { counts, expiresAt } = world.provider;
            expect(counts.reuse).toBe(0);
            expect(counts.unneeded).toBe(0);
            expect(counts.recoveries).toBeLessThanOrEqual(counts.lost);
            for (const outcome of outcomes) {
              if ('error' in outcome) {
                // Only a lost answer fails a call, and then as "try again", never as signed out.
                expect(counts.lost).toBeGreaterThan(0);
                expect(outcome.error).toMatchObject({ code: 'upstream_unavailable' });
              } else if (outcome.token.startsWith('at-')) {
                // A token handed out is live when it is handed out.
                expect(expiresAt(outcome.token)).toBeGreaterThan(outcome.at);
              }
            }
            expect(lastRefreshes).toBe(1);
            expect(new Set(last).size).toBe(1);
          },
        ),
        { numRuns, seed },
      );
    },
  );
});
