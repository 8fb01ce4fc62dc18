import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { onSessionEnding } from '@tokenlane/react-auth/session-end';
import { DEMO, startTestApi } from '@tokenlane/test-harness';
import { withCookieJar } from '@tokenlane/test-servers/cookieJar';
import { transports, type TestClient } from '@tokenlane/test-servers/transports';

// Issue 25: the session's end, from the reference API to the client's state. The API says how
// long the refresh family lives (`sessionExpiresIn`); the client's `sessionEndsAt` shows it, keeps
// it through renewals (no refresh extends the family), and `onSessionEnding` tells before it.

const FAMILY_S = 3600;
let api: Awaited<ReturnType<typeof startTestApi>>;
beforeAll(async () => {
  api = await startTestApi({
    accessTokenTtlSeconds: 60,
    env: { REFRESH_TOKEN_TTL: String(FAMILY_S) },
  });
});
afterAll(() => api?.close());
const clients: TestClient[] = [];
afterEach(() => clients.splice(0).forEach((client) => client.dispose()));

describe.each(transports)('the session end over $name, against the API', (transport) => {
  it('is in the state from the sign-in, stays through refreshes, and is told before it comes', async () => {
    const c = transport.create({ baseURL: api.url, crossTab: false }, withCookieJar());
    clients.push(c);
    const before = Date.now();
    await c.login({ email: DEMO.email, password: DEMO.password });
    const after = Date.now();
    const { sessionEndsAt } = c.getState();
    // Whole seconds, rounded down by the server: up to a second early, never late.
    expect(sessionEndsAt).toBeGreaterThanOrEqual(before + (FAMILY_S - 1) * 1000);
    expect(sessionEndsAt).toBeLessThanOrEqual(after + FAMILY_S * 1000);
    await c.refresh({ force: true });
    expect(Math.abs(c.getState().sessionEndsAt! - sessionEndsAt!)).toBeLessThanOrEqual(1000);
    // Told at once when the end is nearer than the notice (here: an hour and a minute).
    const told = await new Promise<number>((resolve) => {
      const stop = onSessionEnding(c, (endsAt) => (stop(), resolve(endsAt)), {
        notice: FAMILY_S + 60,
      });
    });
    expect(told).toBe(c.getState().sessionEndsAt);
    await c.logout();
    expect(c.getState().sessionEndsAt).toBeNull();
  });
});
