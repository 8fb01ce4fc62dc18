import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createSessionSimulator, type SessionSimulator } from '../../testing.js';

// Model-based (fc.commands): users sign in and out in any tab, in any order, while requests run,
// tabs sleep and cross-tab messages arrive late and out of order. The model is who the browser's
// user is now: the last sign-in, or nobody after a sign-out.

const numRuns = Number(process.env.FC_RUNS ?? 200);
const seed = Number(process.env.FC_SEED ?? 20_261_130);
const TABS = 3;
const USERS = ['ada', 'grace', 'linus'] as const;

interface Model {
  user: string | null;
  /** A sign-out happened: a tab that did not hear of it yet may meet the server's refusal. */
  signedOut: boolean;
}
type Command = fc.AsyncCommand<Model, SessionSimulator>;

/** No tab shows data of a user other than the one it shows as signed in. */
function expectNoOtherUsersData(sim: SessionSimulator) {
  for (const tab of sim.tabs) {
    const { user, data } = tab.view();
    if (data !== null) expect({ tab: tab.id, data }).toEqual({ tab: tab.id, data: user });
  }
}

const command = (
  name: string,
  act: (model: Model, sim: SessionSimulator) => Promise<void> | void,
): Command => ({
  check: () => true,
  async run(model, sim) {
    await act(model, sim);
    expectNoOtherUsersData(sim);
  },
  toString: () => name,
});

const tab = fc.integer({ min: 0, max: TABS - 1 });
/** Scripts whose cross-tab messages are up to `maxDelayMs` late (those of two tabs may pass each other). */
const commands = (maxDelayMs: number) =>
  fc.commands(
    [
      fc.tuple(tab, fc.constantFrom(...USERS)).map(([t, user]) =>
        command(`login(${t}, ${user})`, async (model, sim) => {
          await sim.tabs[t]!.login(user);
          model.user = user;
        }),
      ),
      tab.map((t) =>
        command(`logout(${t})`, async (model, sim) => {
          await sim.tabs[t]!.logout();
          model.user = null;
          model.signedOut = true;
        }),
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
      fc.tuple(tab, fc.integer({ min: 1_000, max: 120_000 })).map(([t, ms]) =>
        command(`tabSleeps(${t}, ${ms})`, async (_, sim) => {
          sim.tabs[t]!.sleep();
          await sim.advance(ms);
          sim.tabs[t]!.wake();
        }),
      ),
    ],
    { maxCommands: 30 },
  );

describe('users signing in and out across tabs (fast-check model)', () => {
  // With cookies, messages may be seconds late. With refresh tokens in the body, within the time a
  // tab lets the channel settle before it refreshes (20 ms): a later one still makes the next tab
  // present a rotated token (an open finding, see the issue note).
  it.each([
    ['cookie', 3_000],
    ['body', 15],
  ] as const)(
    'refresh token in a %s, messages up to %i ms late: every tab ends with the last sign-in, never shows another user’s data, and no sign-out comes without one',
    async (refreshTokenIn, maxDelayMs) => {
      await fc.assert(
        fc.asyncProperty(commands(maxDelayMs), fc.integer(), async (script, simSeed) => {
          const sim = createSessionSimulator({ tabs: TABS, refreshTokenIn, seed: simSeed });
          const model: Model = { user: null, signedOut: false };
          await fc.asyncModelRun(() => ({ model, real: sim }), script);
          // Every message delivered, every tab awake: each tab shows the browser's user.
          sim.network.heal();
          await sim.advance(60_000);
          for (const t of sim.tabs) {
            expect({ tab: t.id, user: t.view().user }).toEqual({ tab: t.id, user: model.user });
          }
          expectNoOtherUsersData(sim);
          const report = sim.report();
          // Only the server's refusal of a session signed out elsewhere ends one by itself.
          if (!model.signedOut) {
            expect(report.signOuts.filter((s) => s.cause !== 'logout')).toEqual([]);
          }
          expect(report.presentedAgain).toEqual([]);
        }),
        { numRuns, seed },
      );
    },
  );
});
