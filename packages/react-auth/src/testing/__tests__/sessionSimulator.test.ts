import { describe, expect, it } from 'vitest';
import { createSessionSimulator, expireAccessToken } from '../../testing.js';

/** Each tab makes a request every `everyMs` for `forMs`. */
async function requestSteadily(
  sim: ReturnType<typeof createSessionSimulator>,
  forMs: number,
  everyMs = 5_000,
) {
  for (let t = 0; t < forMs; t += everyMs) {
    sim.tabs.forEach((tab) => void tab.request());
    await sim.advance(everyMs);
  }
}

describe('createSessionSimulator', () => {
  // The README's example: what an app developer writes.
  it('two tabs over five token lifetimes: one refresh per expiry, nothing failed, nobody signed out', async () => {
    const sim = createSessionSimulator({ tabs: 2, accessTokenTtl: 60 });
    await sim.tabs[0]!.login();
    await requestSteadily(sim, 5 * 60_000);
    const report = sim.report();
    // Renewed 10-15 s (refreshLeeway plus jitter) before each expiry: every 44-49 s, by one tab.
    expect(report.refreshCalls).toBe(6);
    expect(report.rotations).toBe(6);
    expect(report.presentedAgain).toEqual([]);
    expect(report.requests).toMatchObject({ failed: {}, pending: 0, sent: 120, succeeded: 120 });
    expect(report.signOuts).toEqual([]);
  });

  it('is deterministic: the same seed gives the same run', async () => {
    const run = async () => {
      const sim = createSessionSimulator({ tabs: 3, seed: 7 });
      sim.network.channel({ delayMs: [0, 500], lossRate: 0.3 });
      await sim.tabs[1]!.login();
      await requestSteadily(sim, 3 * 60_000, 7_000);
      return sim.report();
    };
    expect(await run()).toEqual(await run());
  });

  it('a refresh answer 15 s late (body tokens, no grace): the other tab waits for it, never presents the same token', async () => {
    const sim = createSessionSimulator({ refreshTokenIn: 'body', reuse: 'strict' });
    const [a, b] = sim.tabs;
    await a!.login();
    sim.network.failNextRefresh({ slowMs: 15_000 });
    await requestSteadily(sim, 3 * 60_000, 1_000);
    const report = sim.report();
    expect(report.presentedAgain).toEqual([]);
    expect(report.signOuts).toEqual([]);
    expect(report.requests.pending).toBe(0);
    expect(b!.client.getState().status).toBe('authenticated');
  });

  it('a tab frozen while it holds the lock: the other presents nothing until it resumes, and nobody is signed out', async () => {
    const sim = createSessionSimulator({ refreshTokenIn: 'body', reuse: 'strict' });
    const [a, b] = sim.tabs;
    await a!.login();
    await sim.advance(1_000);
    sim.network.failNextRefresh({ slowMs: 5_000 });
    expireAccessToken(a!.client);
    void a!.request();
    await sim.advance(1_000);
    a!.freeze();
    await requestSteadily({ ...sim, tabs: [b!] }, 2 * 60_000, 1_000);
    expect(sim.report().presentedAgain).toEqual([]);
    a!.resume();
    await requestSteadily(sim, 2 * 60_000, 1_000);
    const report = sim.report();
    expect(report.presentedAgain).toEqual([]);
    expect(report.signOuts).toEqual([]);
    expect(report.requests.pending).toBe(0);
    // The other tab's requests failed (RefreshFailedError) while it could not renew.
    expect(report.requests.failed.refresh_failed).toBeGreaterThan(0);
  });

  it('a closed tab frees its lock: the other renews at once', async () => {
    const sim = createSessionSimulator({ refreshTokenIn: 'body' });
    const [a, b] = sim.tabs;
    await a!.login();
    // A holds the lock, retrying a refresh that cannot reach the server, when it is closed.
    sim.network.offline(true);
    expireAccessToken(a!.client);
    void a!.request();
    await sim.advance(100);
    a!.kill();
    sim.network.offline(false);
    expireAccessToken(b!.client);
    void b!.request();
    await sim.advance(1_000);
    expect(sim.report()).toMatchObject({
      requests: { failed: {}, succeeded: 1, pending: 0 },
      rotations: 1,
      presentedAgain: [],
    });
  });

  it('a refusal of an old refresh token does not end a session another tab has renewed', async () => {
    // No shared lock (no Web Locks API): both tabs present the same refresh token; the server
    // rotates for the first and refuses the second, whose tab meanwhile got the first one's token.
    const sim = createSessionSimulator({
      refreshTokenIn: 'body',
      reuse: 'refuse',
      sharedLock: false,
      latencyMs: 20,
    });
    const [a, b] = sim.tabs;
    await a!.login();
    await sim.advance(1_000);
    expireAccessToken(a!.client);
    expireAccessToken(b!.client);
    void a!.request();
    await sim.advance(5);
    void b!.request();
    await sim.advance(10_000);
    const report = sim.report();
    expect(report).toMatchObject({ refreshCalls: 2, rotations: 1, refusals: 1 });
    expect(report.signOuts).toEqual([]);
    expect(report.requests).toMatchObject({ failed: {}, succeeded: 2 });
  });

  it('a revoked session: every tab signs out, by the refusal, and every request ends', async () => {
    const sim = createSessionSimulator();
    await sim.tabs[0]!.login();
    await requestSteadily(sim, 30_000);
    sim.revokeAll();
    await requestSteadily(sim, 60_000);
    const report = sim.report();
    expect(report.signOuts.map((s) => s.cause).sort()).toEqual([
      'remote-logout',
      'session-expired',
    ]);
    expect(report.requests.pending).toBe(0);
  });
});
