import fc from 'fast-check';
import type { RefreshFault, SessionSimulator } from '../../testing.js';

// The steps of races.property.test.ts: what a user, the browser or the network does, their
// generators, how a step is played on the simulator, and how a run ends.

export const TABS = 3;

/** One step of a generated session: what a user, the browser or the network does. */
export type Step =
  | { kind: 'request'; tab: number }
  | { kind: 'advance'; ms: number }
  | { kind: 'sleep' | 'wake' | 'freeze' | 'resume' | 'throttle' | 'unthrottle'; tab: number }
  | { kind: 'laptopSleep'; ms: number }
  | { kind: 'offline'; on: boolean }
  | { kind: 'fault'; fault: RefreshFault }
  | { kind: 'channel'; maxDelayMs: number; lossRate: number }
  | { kind: 'jumpClock'; ms: number }
  | { kind: 'switchUser'; tab: number; user: string };

export const tab = fc.integer({ min: 0, max: TABS - 1 });
/** Someone else signs in, in any tab (running or not: the tab is woken first, as a click would). */
export const switchUser = fc
  .tuple(tab, fc.constantFrom('ada', 'grace', 'linus'))
  .map(([t, user]): Step => ({ kind: 'switchUser', tab: t, user }));
/**
 * Every run switches users at least once, at a generated place in its script; `before`: the step
 * it must come before, if the script has one.
 */
export const withSwitch = (
  script: fc.Arbitrary<Step[]>,
  before: (step: Step) => boolean = () => false,
) =>
  fc.tuple(script, switchUser, fc.nat()).map(([steps, step, at]) => {
    const limit = steps.findIndex(before);
    return steps.toSpliced(at % ((limit === -1 ? steps.length : limit) + 1), 0, step);
  });
/**
 * With the refresh token in a cookie, how late a refresh answer may be when another tab signs in
 * after it was sent: below the time a sign-in waits for a refresh in flight (30 s). Past it, the
 * late answer's cookie would replace the new session's (the documented limit, see the README's
 * "One user per session"). Body refresh tokens have no such limit.
 */
export const SLOW_AFTER_SWITCH_MS = 25_000;
/** Up to five minutes: longer than any request may wait (REFRESH_WAIT_MS). */
export const LONG_SLOW_MS = 300_000;
const longSlow = (step: Step) =>
  step.kind === 'fault' && typeof step.fault === 'object' && 'slowMs' in step.fault
    ? step.fault.slowMs > SLOW_AFTER_SWITCH_MS
    : false;
const faults = (withLost: boolean, maxSlowMs: number) =>
  fc.oneof(
    fc.constant<RefreshFault>('5xx'),
    fc.integer({ min: 1_000, max: maxSlowMs }).map((slowMs): RefreshFault => ({ slowMs })),
    ...(withLost ? [fc.constant<RefreshFault>('lost')] : []),
  );

/**
 * Sequences of steps, each with at least one sign-in as another user; `lossy` adds lost answers
 * and lost cross-tab messages; `maxSlowMs`: how late a refresh answer may be. With `cookie` and
 * answers later than SLOW_AFTER_SWITCH_MS, the users switch before the first of those; else
 * anywhere, any number of times.
 */
export const steps = ({
  lossy,
  maxSlowMs = SLOW_AFTER_SWITCH_MS,
  cookie = false,
}: {
  lossy: boolean;
  maxSlowMs?: number;
  cookie?: boolean;
}) =>
  cookie && maxSlowMs > SLOW_AFTER_SWITCH_MS
    ? withSwitch(stepsOnly(lossy, maxSlowMs, false), longSlow)
    : withSwitch(stepsOnly(lossy, maxSlowMs, true));
export const stepsOnly = (lossy: boolean, maxSlowMs: number, switches: boolean) =>
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
        arbitrary: faults(lossy, maxSlowMs).map((fault): Step => ({ kind: 'fault', fault })),
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

export async function play(sim: SessionSimulator, step: Step) {
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
 * must end within twice REFRESH_WAIT_MS (30 s) of its tab running again, even behind a refresh
 * whose answer is minutes late: 30 s for the refresh in flight, and when that one failed and the
 * token in hand (alive by the tab's clock) is refused, 30 s for one more. Once the late answer is
 * in, each tab must be served again (the lock is not held forever).
 */
export async function drain(sim: SessionSimulator) {
  sim.network.heal();
  sim.tabs.forEach((t) => {
    t.throttle(false);
    t.resume();
  });
  await sim.advance(61_000);
  const pendingAfterWait = sim.report().requests.pending;
  // Long enough for what a fault left running: a proactive timer late by a clock set back two
  // minutes, then a refresh answered five minutes late.
  await sim.advance(8 * 60_000);
  const beforeLast = sim.report().requests;
  sim.tabs.forEach((t) => void t.request());
  await sim.advance(60_000);
  return { pendingAfterWait, beforeLast, after: sim.report() };
}
