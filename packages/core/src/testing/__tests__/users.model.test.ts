import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createSessionSimulator, type SessionSimulator } from '../../testing.js';

// Model-based (fc.commands): users sign in and out in any tab, at any moment (during refreshes,
// while tabs sleep or are frozen, with messages late, answers slow, the clock set back or forward,
// the laptop asleep), while requests run. The model is who the browser's user is now: the last
// sign-in, or nobody after a sign-out. The rule of a session is checked after every step.

const numRuns = Number(process.env.FC_RUNS ?? 200);
const seed = Number(process.env.FC_SEED ?? 20_261_130);
const TABS = 3;
const USERS = ['ada', 'grace', 'linus'] as const;

interface Model {
  user: string | null;
  /** Tabs frozen or asleep: nobody clicks in them. */
  stopped: Set<number>;
}
type Command = fc.AsyncCommand<Model, SessionSimulator>;

/**
 * The rule, after every step: no tab shows data of a user other than the one it shows signed in;
 * no request ran as a user other than the one it began as; at most one session is live at the
 * server, and (once nothing is in flight) only the browser's user's.
 */
function expectOneUser(sim: SessionSimulator) {
  for (const tab of sim.tabs) {
    const { user, data } = tab.view();
    if (data !== null) expect({ tab: tab.id, data }).toEqual({ tab: tab.id, data: user });
  }
  expect(sim.report().requests.asOtherUser).toBe(0);
  expect(sim.report().signOuts.filter((s) => s.cause === 'session-expired')).toEqual([]);
}

const command = (
  name: string,
  act: (model: Model, sim: SessionSimulator) => Promise<void> | void,
  check: (model: Model) => boolean = () => true,
): Command => ({
  check,
  async run(model, sim) {
    await act(model, sim);
    expectOneUser(sim);
  },
  toString: () => name,
});

const tab = fc.integer({ min: 0, max: TABS - 1 });
const running = (t: number) => (model: Model) => !model.stopped.has(t);
/** Scripts whose cross-tab messages are up to `maxDelayMs` late (those of two tabs may pass each other). */
const commands = (maxDelayMs: number) =>
  fc.commands(
    [
      fc.tuple(tab, fc.constantFrom(...USERS)).map(([t, user]) =>
        command(
          `login(${t}, ${user})`,
          async (model, sim) => {
            await sim.tabs[t]!.login(user);
            model.user = user;
          },
          running(t),
        ),
      ),
      tab.map((t) =>
        command(
          `logout(${t})`,
          async (model, sim) => {
            await sim.tabs[t]!.logout();
            model.user = null;
          },
          running(t),
        ),
      ),
      tab.map((t) => command(`request(${t})`, (_, sim) => void sim.tabs[t]!.request())),
      fc
        .integer({ min: 1, max: 90_000 })
        .map((ms) => command(`advance(${ms})`, (_, sim) => sim.advance(ms))),
      fc
        .integer({ min: 0, max: maxDelayMs })
        .map((ms) =>
          command(`channelDelay(${ms})`, (_, sim) => sim.network.channel({ delayMs: [0, ms] })),
        ),
      fc
        .integer({ min: 100, max: 20_000 })
        .map((ms) =>
          command(`slowRefresh(${ms})`, (_, sim) => sim.network.failNextRefresh({ slowMs: ms })),
        ),
      fc
        .integer({ min: -120_000, max: 120_000 })
        .map((ms) => command(`jumpClock(${ms})`, (_, sim) => sim.jumpClock(ms))),
      fc
        .integer({ min: 60_000, max: 1_800_000 })
        .map((ms) => command(`laptopSleeps(${ms})`, (_, sim) => sim.sleep(ms))),
      fc.tuple(tab, fc.boolean()).map(([t, freeze]) =>
        command(`${freeze ? 'freeze' : 'sleep'}(${t})`, (model, sim) => {
          model.stopped.add(t);
          if (freeze) sim.tabs[t]!.freeze();
          else sim.tabs[t]!.sleep();
        }),
      ),
      tab.map((t) =>
        command(`resume(${t})`, (model, sim) => {
          model.stopped.delete(t);
          sim.tabs[t]!.resume();
        }),
      ),
    ],
    { maxCommands: 30 },
  );

describe('users signing in and out across tabs (fast-check model)', () => {
  it.each([
    ['cookie', true],
    ['body', true],
    ['cookie', false],
    ['body', false],
  ] as const)(
    'refresh token in a %s (Web Locks: %s), messages up to 3 s late: no tab shows, sends with or is answered as another user; every tab ends with the last sign-in; its session alone is live',
    async (refreshTokenIn, sharedLock) => {
      await fc.assert(
        fc.asyncProperty(
          commands(3_000),
          fc.integer(),
          tab,
          fc.integer({ min: 0, max: 60_000 }),
          async (script, simSeed, switchTab, switchAt) => {
            const sim = createSessionSimulator({
              tabs: TABS,
              refreshTokenIn,
              sharedLock,
              seed: simSeed,
            });
            const model: Model = { user: null, stopped: new Set() };
            await fc.asyncModelRun(() => ({ model, real: sim }), script);
            // Every run switches users at least once: at a generated moment after the script (a
            // refresh may be in flight, messages late), in a generated tab, as someone else.
            await sim.advance(switchAt);
            model.stopped.delete(switchTab);
            sim.tabs[switchTab]!.resume();
            const other = USERS.find((user) => user !== model.user)!;
            await sim.tabs[switchTab]!.login(other);
            model.user = other;
            expectOneUser(sim);
            // Every message delivered, every tab awake: each tab shows the browser's user.
            sim.network.heal();
            sim.tabs.forEach((t) => t.resume());
            await sim.advance(90_000);
            for (const t of sim.tabs) {
              expect({ tab: t.id, user: t.view().user }).toEqual({ tab: t.id, user: model.user });
            }
            expectOneUser(sim);
            expect(sim.liveSessions()).toEqual(model.user === null ? [] : [model.user]);
            expect(sim.report().presentedAgain).toEqual([]);
          },
        ),
        { numRuns, seed },
      );
    },
  );
});
