import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createSessionSimulator, type RefreshFault, type SessionSimulator } from '../../testing.js';

/** Runs per property; `FC_RUNS` raises it for a longer search. */
const numRuns = Number(process.env.FC_RUNS ?? 200);
/** Fixed unless `FC_SEED` says otherwise: a failure prints its seed and path, and replays. */
const seed = Number(process.env.FC_SEED ?? 20_261_130);

const TTL_S = 60;
const LEEWAY_S = 10;
const TABS = 3;

/** One step of a generated session: what a user, the browser or the network does. */
type Step =
  | { kind: 'request'; tab: number }
  | { kind: 'advance'; ms: number }
  | { kind: 'sleep' | 'wake' | 'freeze' | 'resume' | 'throttle' | 'unthrottle'; tab: number }
  | { kind: 'laptopSleep'; ms: number }
  | { kind: 'offline'; on: boolean }
  | { kind: 'fault'; fault: RefreshFault }
  | { kind: 'channel'; maxDelayMs: number; lossRate: number }
  | { kind: 'jumpClock'; ms: number }
  | { kind: 'switchUser'; tab: number; user: string };

const tab = fc.integer({ min: 0, max: TABS - 1 });
/** Someone else signs in, in any tab (running or not: the tab is woken first, as a click would). */
const switchUser = fc
  .tuple(tab, fc.constantFrom('ada', 'grace', 'linus'))
  .map(([t, user]): Step => ({ kind: 'switchUser', tab: t, user }));
/** Every run switches users at least once, at a generated place in its script. */
const withSwitch = (script: fc.Arbitrary<Step[]>) =>
  fc
    .tuple(script, switchUser, fc.nat())
    .map(([steps, step, at]) => steps.toSpliced(at % (steps.length + 1), 0, step));
/**
 * Refresh faults; `maxSlowMs`: how late an answer may be. With user switches, below the time a
 * sign-in waits for a refresh in flight (30 s): past it, the late answer's cookie would replace the
 * new session's (the documented limit, see the README's "One user per session").
 */
const faults = (withLost: boolean, maxSlowMs: number) =>
  fc.oneof(
    fc.constant<RefreshFault>('5xx'),
    // Up to five minutes (without switches): longer than any request may wait (REFRESH_WAIT_MS).
    fc.integer({ min: 1_000, max: maxSlowMs }).map((slowMs): RefreshFault => ({ slowMs })),
    ...(withLost ? [fc.constant<RefreshFault>('lost')] : []),
  );

/**
 * Sequences of steps; `lossy` adds lost answers and lost cross-tab messages; `switches` (the
 * default) signs other users in at any moment, at least once per run.
 */
const steps = ({ lossy, switches = true }: { lossy: boolean; switches?: boolean }) =>
  switches ? withSwitch(stepsOnly(lossy, true)) : stepsOnly(lossy, false);
const stepsOnly = (lossy: boolean, switches: boolean) =>
  fc.array(
    fc.oneof(
      { weight: 6, arbitrary: tab.map((t): Step => ({ kind: 'request', tab: t })) },
      {
        weight: 6,
        arbitrary: fc
          .integer({ min: 10, max: 45_000 })
          .map((ms): Step => ({ kind: 'advance', ms })),
      },
      {
        weight: 3,
        arbitrary: fc
          .tuple(
            fc.constantFrom('sleep', 'wake', 'freeze', 'resume', 'throttle', 'unthrottle'),
            tab,
          )
          .map(([kind, t]): Step => ({ kind, tab: t })),
      },
      {
        weight: 1,
        arbitrary: fc
          .integer({ min: 1_000, max: 3_600_000 })
          .map((ms): Step => ({ kind: 'laptopSleep', ms })),
      },
      // An outage drops the answers on their way: lost answers, which only the lossy scripts have.
      {
        weight: lossy ? 1 : 0,
        arbitrary: fc.boolean().map((on): Step => ({ kind: 'offline', on })),
      },
      {
        weight: 2,
        arbitrary: faults(lossy, switches ? 25_000 : 300_000).map((fault): Step => ({
          kind: 'fault',
          fault,
        })),
      },
      {
        weight: 1,
        arbitrary: fc
          .record({
            // Late by up to seconds: a tab lets the channel settle (every message on its way to it
            // arrives) before it refreshes, however late they are.
            maxDelayMs: fc.integer({ min: 0, max: 2_000 }),
            lossRate: lossy ? fc.double({ min: 0, max: 0.5, noNaN: true }) : fc.constant(0),
          })
          .map((channel): Step => ({ kind: 'channel', ...channel })),
      },
      {
        weight: 1,
        arbitrary: fc
          .integer({ min: -120_000, max: 120_000 })
          .map((ms): Step => ({ kind: 'jumpClock', ms })),
      },
      { weight: switches ? 1 : 0, arbitrary: switchUser },
    ),
    { maxLength: 40 },
  );

/** Whether a run's network is offline now (a user cannot sign in then). */
const offline = new WeakMap<SessionSimulator, boolean>();

async function play(sim: SessionSimulator, step: Step) {
  const at = (t: number) => sim.tabs[t]!;
  switch (step.kind) {
    case 'request':
      return void at(step.tab).request();
    case 'advance':
      return sim.advance(step.ms);
    case 'laptopSleep':
      return sim.sleep(step.ms);
    case 'offline':
      offline.set(sim, step.on);
      return sim.network.offline(step.on);
    case 'fault':
      return sim.network.failNextRefresh(step.fault);
    case 'channel':
      return sim.network.channel({
        delayMs: [0, step.maxDelayMs],
        lossRate: step.lossRate,
      });
    case 'jumpClock':
      return sim.jumpClock(step.ms);
    case 'switchUser':
      // Offline, nobody can sign in (and the wait would stretch the outage over answers on their
      // way: lost answers, which body refresh tokens on a server without grace cannot survive).
      if (offline.get(sim)) return;
      at(step.tab).resume();
      return at(step.tab).login(step.user);
    case 'throttle':
    case 'unthrottle':
      return at(step.tab).throttle(step.kind === 'throttle');
    default:
      return at(step.tab)[step.kind]();
  }
}

/**
 * The run's end: the network healthy, every tab awake and in the foreground. Every request made
 * must end within REFRESH_WAIT_MS (30 s) of its tab running again, even behind a refresh whose
 * answer is minutes late; once that answer is in, each tab must be served again (the lock is not
 * held forever).
 */
async function drain(sim: SessionSimulator) {
  sim.network.heal();
  sim.tabs.forEach((t) => {
    t.throttle(false);
    t.resume();
  });
  await sim.advance(31_000);
  const pendingAfterWait = sim.report().requests.pending;
  // Long enough for what a fault left running: a proactive timer late by a clock set back two
  // minutes, then a refresh answered five minutes late.
  await sim.advance(8 * 60_000);
  const beforeLast = sim.report().requests;
  sim.tabs.forEach((t) => void t.request());
  await sim.advance(60_000);
  return { pendingAfterWait, beforeLast, after: sim.report() };
}

describe('races, generated (fast-check)', () => {
  it.each([
    [true, true],
    [false, true],
    [true, false],
  ])(
    'body refresh tokens, a server without grace (Web Locks: %s, user switches: %s): no rotated token presented, nobody signed out, every request ends',
    async (sharedLock, switches) => {
      await fc.assert(
        fc.asyncProperty(
          steps({ lossy: false, switches }),
          fc.integer(),
          async (script, simSeed) => {
            const sim = createSessionSimulator({
              tabs: TABS,
              refreshTokenIn: 'body',
              reuse: 'strict',
              sharedLock,
              accessTokenTtl: TTL_S,
              refreshLeeway: LEEWAY_S,
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

  it.each([true, false])(
    'cookies on a server that recovers lost answers, with lost answers and lost messages (user switches: %s): nobody signed out, every request ends',
    async (switches) => {
      await fc.assert(
        fc.asyncProperty(
          steps({ lossy: true, switches }),
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
          accessTokenTtl: TTL_S,
          refreshLeeway: LEEWAY_S,
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
        steps({ lossy: false, switches: false }),
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
