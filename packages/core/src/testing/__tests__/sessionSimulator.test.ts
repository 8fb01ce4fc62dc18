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
    const sim = createSessionSimulator({ tabs: 2, accessTokenTtlSeconds: 60 });
    await sim.tabs[0]!.login();
    await requestSteadily(sim, 5 * 60_000);
    const report = sim.report();
    // Renewed 10-15 s (refreshLeewaySeconds plus jitter) before each expiry: every 44-49 s, by one tab.
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

  it.each(['cookie', 'body'] as const)(
    'finding 9: without Web Locks (refresh token in a %s, no grace), two tabs waking together present it once; nobody is signed out',
    async (refreshTokenIn) => {
      const sim = createSessionSimulator({ refreshTokenIn, reuse: 'strict', sharedLock: false });
      const [a, b] = sim.tabs;
      await a!.login();
      await sim.advance(1_000);
      await sim.sleep(10 * 60_000);
      void a!.request();
      void b!.request();
      await sim.advance(10_000);
      const report = sim.report();
      expect(report).toMatchObject({ rotations: 1, presentedAgain: [], reuseRevocations: 0 });
      expect(report.signOuts).toEqual([]);
      expect(report.requests).toMatchObject({ failed: {}, succeeded: 2 });
    },
  );

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

  // Shrunk counterexamples of the users model (users.model.test.ts), kept as named regressions.
  describe('users across tabs, messages late', () => {
    const views = (sim: ReturnType<typeof createSessionSimulator>) =>
      sim.tabs.map((tab) => tab.view().user);

    it('a logout in a tab that has not heard of the sign-in yet signs the browser out', async () => {
      const sim = createSessionSimulator({ tabs: 3, refreshTokenIn: 'body', seed: 0 });
      sim.network.channel({ delayMs: [0, 1] });
      await sim.tabs[0]!.login('ada');
      await sim.tabs[1]!.logout();
      await sim.advance(60_000);
      expect(views(sim)).toEqual([null, null, null]);
      expect(sim.report().signOuts.map((s) => s.cause)).not.toContain('session-expired');
    });

    it('a logout that arrives after a later sign-in is ignored; the later sign-in stands everywhere', async () => {
      const sim = createSessionSimulator({ tabs: 3, seed: 69_662_923 });
      sim.network.channel({ delayMs: [0, 156] });
      await sim.tabs[0]!.logout();
      await sim.tabs[1]!.logout();
      await sim.tabs[0]!.login('ada');
      await sim.advance(60_000);
      expect(views(sim)).toEqual(['ada', 'ada', 'ada']);
      expect(sim.report().signOuts).toEqual([]);
    });

    it('a token from before a sign-out, arriving after it, does not sign the tab back in', async () => {
      const sim = createSessionSimulator({ tabs: 3, seed: 1 });
      await sim.tabs[0]!.login('ada');
      await sim.advance(1_000);
      sim.network.channel({ delayMs: [2_000, 2_000] });
      // Tab 0 renews; its new token reaches tab 1 two seconds after tab 1 signed out.
      const renewed = sim.tabs[0]!.client.refresh({ force: true });
      await sim.advance(100);
      await renewed;
      await sim.tabs[1]!.logout();
      await sim.advance(3_000);
      expect(views(sim)).toEqual([null, null, null]);
      await sim.advance(60_000);
      expect(sim.report().signOuts.map((s) => s.cause)).not.toContain('session-expired');
    });

    it('switching users: no tab shows the previous user’s data', async () => {
      const sim = createSessionSimulator({ tabs: 2, seed: 3 });
      sim.network.channel({ delayMs: [0, 3_000] });
      await sim.tabs[0]!.login('ada');
      await sim.advance(5_000);
      sim.tabs.forEach((tab) => void tab.request());
      await sim.tabs[1]!.login('grace');
      // Tab 0 has not heard yet: its request goes out as ada, and its answer is ada's.
      sim.tabs.forEach((tab) => void tab.request());
      await sim.advance(10_000);
      for (const tab of sim.tabs) expect(tab.view().data ?? 'grace').toBe('grace');
      sim.tabs.forEach((tab) => void tab.request());
      await sim.advance(1_000);
      expect(sim.tabs.map((tab) => tab.view())).toEqual([
        { user: 'grace', data: 'grace' },
        { user: 'grace', data: 'grace' },
      ]);
    });
  });
});

// The simulated browser against what a real one does (issue 31, item 4).
describe('the simulated browser is faithful', () => {
  it('a throttled tab does not hold the others back: the channel settles on the network, not on its timers', async () => {
    const sim = createSessionSimulator({ refreshTokenIn: 'body', reuse: 'strict' });
    const [a, b] = sim.tabs;
    await a!.login();
    a!.throttle(true);
    expireAccessToken(a!.client);
    expireAccessToken(b!.client);
    void a!.request();
    await sim.advance(1_000);
    void b!.request();
    await sim.advance(2_000);
    // Both served within two seconds, well before the throttled tab's next whole minute.
    expect(sim.report().requests).toMatchObject({ succeeded: 2, failed: {}, pending: 0 });
    expect(sim.report().rotations).toBe(1);
  });

  it('kill() is final: nothing wakes a closed tab, it sends nothing, and its answers store no cookie', async () => {
    const sim = createSessionSimulator();
    const [a, b] = sim.tabs;
    await a!.login('alice');
    await sim.advance(1_000);
    sim.network.failNextRefresh({ slowMs: 1_000 });
    expireAccessToken(a!.client);
    void a!.request();
    await sim.advance(30);
    a!.kill();
    await sim.sleep(60_000);
    a!.resume();
    a!.wake();
    expect(a!.state).toBe('killed');
    await a!.request();
    await sim.advance(5_000);
    // The refresh A sent rotated at the server, but its answer (and cookie) died with A: B's
    // next renewal presents the rotated cookie, and the strict server refuses it.
    const report = sim.report();
    expect(report.requests.sent).toBe(1);
    expect(report.rotations).toBe(1);
    expireAccessToken(b!.client);
    void b!.request();
    await sim.advance(1_000);
    expect(sim.report().presentedAgain).toHaveLength(1);
  });

  it('the cookie is the one the browser held when the call left, not when it reached the server', async () => {
    const sim = createSessionSimulator({ latencyMs: 500, reuse: 'strict' });
    const [a, b] = sim.tabs;
    await a!.login('alice');
    await sim.advance(1_000);
    // A's renewal leaves with alice's cookie; carol's sign-in in B lands first (B is nearer).
    expireAccessToken(a!.client);
    void a!.request();
    await sim.advance(100);
    await b!.login('carol');
    await sim.advance(5_000);
    // The server saw alice's cookie on A's call: alice's family rotated once; carol's untouched.
    expect(sim.liveSessions()).toEqual(['carol']);
    expect(sim.tabs.map((tab) => tab.view().user)).toEqual(['carol', 'carol']);
  });

  it('a frozen tab runs no script: its request starts when it is resumed', async () => {
    const sim = createSessionSimulator();
    const [a] = sim.tabs;
    await a!.login();
    a!.freeze();
    const request = a!.request();
    await sim.advance(10_000);
    expect(sim.report().apiCalls).toBe(0);
    a!.resume();
    await sim.advance(1_000);
    await request;
    expect(sim.report().requests).toMatchObject({ sent: 1, succeeded: 1 });
  });

  it('a session lifetime: answers say how long is left (whole seconds), and at the end every refresh is refused', async () => {
    const sim = createSessionSimulator({ sessionLifetimeSeconds: 300, accessTokenTtlSeconds: 60 });
    const [a] = sim.tabs;
    await a!.login();
    // The server's end (+20 ms, when the login reached it), as the answer's whole seconds and
    // the way back let the client tell it: within a second and a round trip after.
    const end = Date.UTC(2026, 0, 1) + 20 + 300_000;
    expect(a!.client.getState().sessionEndsAt).toBeGreaterThanOrEqual(end);
    expect(a!.client.getState().sessionEndsAt).toBeLessThanOrEqual(end + 1_040);
    await sim.advance(400_000);
    expect(sim.liveSessions()).toEqual([]);
    expect(a!.client.getState().status).toBe('unauthenticated');
  });

  it("per-token revocation (RFC 7009): a logout revokes the token it presents, not the family's child handed meanwhile", async () => {
    const sim = createSessionSimulator({ refreshTokenIn: 'body', revocation: 'token' });
    const [a] = sim.tabs;
    await a!.login();
    await a!.logout();
    expect(sim.liveSessions()).toEqual([]);
  });

  it('sim.now() is the server clock; faults aimed at one tab meet only its calls; heal() says what it dropped', async () => {
    const sim = createSessionSimulator({ refreshTokenIn: 'body' });
    const [a, b] = sim.tabs;
    await a!.login();
    const start = sim.now();
    sim.jumpClock(-60_000);
    await sim.advance(1_000);
    expect(sim.now()).toBe(start + 1_000);
    b!.failNextRefresh('5xx', '5xx', '5xx', '5xx');
    expireAccessToken(a!.client);
    void a!.request();
    await sim.advance(1_000);
    expect(sim.report().requests.succeeded).toBe(1);
    sim.network.failNextRefresh('lost');
    expect(sim.network.heal()).toEqual({ refreshFaults: ['lost', '5xx', '5xx', '5xx', '5xx'] });
  });
});
