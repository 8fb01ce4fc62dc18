import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createSessionSimulator } from '../../testing.js';
import {
  drain,
  LONG_SLOW_MS,
  play,
  steps,
  stepsOnly,
  SLOW_AFTER_SWITCH_MS,
  tab,
  TABS,
  withSwitch,
  type Step,
} from './raceSteps.js';

/** Runs per property; `FC_RUNS` raises it for a longer search. */
const numRuns = Number(process.env.FC_RUNS ?? 200);
/** Fixed unless `FC_SEED` says otherwise: a failure prints its seed and path, and replays. */
const seed = Number(process.env.FC_SEED ?? 20_261_130);

const TTL_S = 60;
const LEEWAY_S = 10;

describe('races, generated (fast-check)', () => {
  it.each([
    [true, false],
    [false, false],
    [true, true],
  ])(
    'body refresh tokens, a server without grace (Web Locks: %s, answers up to 5 min late: %s), other users signing in: no rotated token presented, nobody signed out, every request ends',
    async (sharedLock, long) => {
      await fc.assert(
        fc.asyncProperty(
          steps({ lossy: false, maxSlowMs: long ? LONG_SLOW_MS : undefined }),
          fc.integer(),
          async (script, simSeed) => {
            const sim = createSessionSimulator({
              tabs: TABS,
              refreshTokenIn: 'body',
              reuse: 'strict',
              sharedLock,
              accessTokenTtlSeconds: TTL_S,
              refreshLeewaySeconds: LEEWAY_S,
              seed: simSeed,
            });
            await sim.tabs[0]!.login();
            for (const step of script) await play(sim, step);
            const { pendingAfterWait, beforeLast, after } = await drain(sim);
            expect(pendingAfterWait).toBe(0);
            expect(after.presentedAgain).toEqual([]);
            expect(after.reuseRevocations).toBe(0);
            expect(after.signOuts).toEqual([]);
            expect(beforeLast.pending).toBe(0);
            expect(after.requests.pending).toBe(0);
            // The last round, on a healthy network: every tab served.
            expect(after.requests.succeeded - beforeLast.succeeded).toBe(TABS);
          },
        ),
        { numRuns, seed },
      );
    },
  );

  it.each([false, true])(
    'cookies on a server that recovers lost answers, with lost answers and lost messages (answers up to 5 min late: %s), other users signing in: nobody signed out, every request ends',
    async (long) => {
      await fc.assert(
        fc.asyncProperty(
          steps({ lossy: true, maxSlowMs: long ? LONG_SLOW_MS : undefined, cookie: true }),
          fc.integer(),
          async (script, simSeed) => {
            const sim = createSessionSimulator({
              tabs: TABS,
              refreshTokenIn: 'cookie',
              reuse: 'unused',
              seed: simSeed,
            });
            await sim.tabs[1]!.login();
            for (const step of script) await play(sim, step);
            const { pendingAfterWait, beforeLast, after } = await drain(sim);
            expect(pendingAfterWait).toBe(0);
            expect(after.reuseRevocations).toBe(0);
            expect(after.signOuts).toEqual([]);
            expect(beforeLast.pending).toBe(0);
            expect(after.requests.succeeded - beforeLast.succeeded).toBe(TABS);
          },
        ),
        { numRuns, seed },
      );
    },
  );

  it('a healthy network and browser: one refresh per expiry for the whole browser', async () => {
    // Requests, time, and the laptop lid: after a sleep every tab wakes with an expired token at
    // once, and all of them need it renewed.
    const requestsAndTime = fc.array(
      fc.oneof(
        tab.map((t): Step => ({ kind: 'request', tab: t })),
        fc.integer({ min: 10, max: 30_000 }).map((ms): Step => ({ kind: 'advance', ms })),
        fc.integer({ min: 60_000, max: 600_000 }).map((ms): Step => ({ kind: 'laptopSleep', ms })),
      ),
      { maxLength: 60 },
    );
    await fc.assert(
      fc.asyncProperty(withSwitch(requestsAndTime), fc.integer(), async (script, simSeed) => {
        const sim = createSessionSimulator({
          tabs: TABS,
          refreshTokenIn: 'body',
          accessTokenTtlSeconds: TTL_S,
          refreshLeewaySeconds: LEEWAY_S,
          seed: simSeed,
        });
        await sim.tabs[0]!.login();
        let elapsed = 0;
        for (const step of script) {
          await play(sim, step);
          if (step.kind === 'advance' || step.kind === 'laptopSleep') elapsed += step.ms;
        }
        // Renewed at the earliest 15 s (leeway plus its jitter) before a 59 s usable lifetime ends,
        // and once after each sleep.
        const sleeps = script.filter((step) => step.kind === 'laptopSleep').length;
        const switches = script.filter((step) => step.kind === 'switchUser').length;
        const bound = Math.floor(elapsed / 44_000) + 1 + sleeps + switches;
        const report = sim.report();
        expect(report.presentedAgain).toEqual([]);
        expect(report.rotations).toBeLessThanOrEqual(bound);
        expect(report.earlyRotations).toBe(0);
      }),
      { numRuns, seed },
    );
  });

  it('no Web Locks (an election over the channel), a server that refuses a rotated token and keeps the session: a refusal of an old token signs nobody out', async () => {
    const burstsAndTime = fc.array(
      fc.oneof(
        fc
          .subarray([0, 1, 2], { minLength: 2 })
          .map((tabs): Step[] => tabs.map((t) => ({ kind: 'request', tab: t }))),
        fc.integer({ min: 10, max: 30_000 }).map((ms): Step[] => [{ kind: 'advance', ms }]),
        fc
          .integer({ min: 60_000, max: 600_000 })
          .map((ms): Step[] => [{ kind: 'laptopSleep', ms }]),
      ),
      { maxLength: 30 },
    );
    await fc.assert(
      fc.asyncProperty(
        withSwitch(burstsAndTime.map((bursts) => bursts.flat())),
        fc.integer(),
        async (script, simSeed) => {
          const sim = createSessionSimulator({
            tabs: TABS,
            refreshTokenIn: 'body',
            reuse: 'refuse',
            sharedLock: false,
            seed: simSeed,
          });
          await sim.tabs[0]!.login();
          for (const step of script) await play(sim, step);
          const { after } = await drain(sim);
          expect(after.signOuts).toEqual([]);
          expect(after.requests.pending).toBe(0);
        },
      ),
      { numRuns, seed },
    );
  });

  it('a session revoked on the server: every tab signs out, only after the refusal, and every request ends', async () => {
    await fc.assert(
      fc.asyncProperty(
        steps({ lossy: false }),
        // After the revocation nobody signs in again.
        stepsOnly(false, SLOW_AFTER_SWITCH_MS, false),
        async (before, after) => {
          const sim = createSessionSimulator({ tabs: TABS, refreshTokenIn: 'body' });
          await sim.tabs[0]!.login();
          for (const step of before) await play(sim, step);
          expect(sim.report().signOuts).toEqual([]);
          sim.revokeAll();
          for (const step of after) await play(sim, step);
          const { after: report } = await drain(sim);
          expect(report.refusals).toBeGreaterThan(0);
          expect(report.signOuts.filter((s) => s.cause === 'session-expired')).not.toEqual([]);
          expect(new Set(report.signOuts.map((s) => s.tab)).size).toBe(TABS);
          expect(report.requests.pending).toBe(0);
        },
      ),
      { numRuns, seed },
    );
  });
});
