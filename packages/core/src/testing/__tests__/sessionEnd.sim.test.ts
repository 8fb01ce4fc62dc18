import { describe, expect, it } from 'vitest';
import { onSessionEnding } from '../../sessionEnd/watchSessionEnd.js';
import { createSessionSimulator, type SimTab } from '../../testing.js';

// Finding 12 of issue 31: the session's end is told once and kept. The simulated server says what
// is left in whole seconds rounded down, and its answers take a round trip, as Tokenlane's API.

const HOUR = 3_600_000;

describe("the session's end (a server with latency and whole-second rounding)", () => {
  it('is one time in every tab, told once per tab (a tab opened during the notice too), and signs every tab out at once, with reason expired', async () => {
    const sim = createSessionSimulator({
      tabs: 2,
      sessionLifetimeSeconds: 3_600,
      accessTokenTtlSeconds: 60,
      latencyMs: 137,
    });
    const told = new Map<number, number[]>();
    const logouts: Array<{ tab: number; reason: string; at: number }> = [];
    const watch = (tab: SimTab) => {
      onSessionEnding(
        tab.client,
        (endsAt) => told.set(tab.id, [...(told.get(tab.id) ?? []), endsAt]),
        {
          notice: 300,
          runtime: tab.runtime,
        },
      );
      tab.client.on('logout', ({ reason }) => logouts.push({ tab: tab.id, reason, at: sim.now() }));
    };
    sim.tabs.forEach(watch);
    await sim.tabs[0]!.login();
    const ends = () => sim.tabs.map((tab) => tab.client.getState().sessionEndsAt);
    const first = ends()[0]!;
    // Renewed every ~45 s for the whole hour; each answer's end differs by its rounding.
    for (let t = 0; t < HOUR - 200_000; t += 15_000) {
      sim.tabs.forEach((tab) => void tab.request());
      await sim.advance(15_000);
      expect(ends()).toEqual(sim.tabs.map(() => first));
    }
    const opened = await sim.openTab();
    watch(opened);
    await sim.advance(200_000 - 20_000);
    expect(opened.client.getState().status).toBe('authenticated');
    expect([...told.entries()].sort()).toEqual(
      sim.tabs.map((tab) => [tab.id, [expect.any(Number)]]),
    );
    await sim.advance(40_000);
    // At the end, every tab signed out, each by its own clock, none waiting for a refusal.
    expect(sim.tabs.map((tab) => tab.client.getState().status)).toEqual(
      sim.tabs.map(() => 'unauthenticated'),
    );
    expect(sim.report().refusals).toBe(0);
    expect(new Set(logouts.map((l) => l.reason))).toEqual(new Set(['expired']));
    expect(new Set(logouts.map((l) => l.tab))).toEqual(new Set(sim.tabs.map((tab) => tab.id)));
    for (const { at } of logouts) expect(Math.abs(at - HOUR)).toBeLessThan(1_500);
  });
});
