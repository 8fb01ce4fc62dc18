import { BASE, mockApi, USER } from '@tokenlane/test-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFetchClient } from '../../fetch/createFetchClient.js';
import { createSessionSimulator } from '../../testing/simulator/sessionSimulator.js';

// 0.1's names, kept for a minor version beside the ones of the one vocabulary (issue 32, item
// 5): an app written against 0.1 behaves the same.

const api = mockApi();
beforeAll(() => api.server.listen({ onUnhandledRequest: 'error' }));
afterAll(() => api.server.close());

describe("0.1's names", () => {
  it('`refresh:start` and `refresh:success` are heard as `refresh-start` and `refresh-success`', async () => {
    api.reset();
    const client = createFetchClient({ baseURL: BASE, crossTab: false });
    const heard: string[] = [];
    client.on('refresh:start', ({ reason }) => heard.push(`old start ${reason}`));
    client.on('refresh-start', ({ reason }) => heard.push(`new start ${reason}`));
    client.on('refresh:success', () => heard.push('old success'));
    await client.login({ email: USER.email, password: 'pw' });
    api.expire();
    expect((await client.fetch('/api/data')).status).toBe(200);
    expect(heard).toEqual(['old start rejected', 'new start rejected', 'old success']);
    client.dispose();
  });

  it("the simulator's `accessTokenTtl` and `sessionLifetime` are read as the Seconds options", async () => {
    const sim = createSessionSimulator({ tabs: 1, accessTokenTtl: 120, sessionLifetime: 3600 });
    const [tab] = sim.tabs;
    await tab!.login();
    const { expiresAt, sessionEndsAt } = tab!.client.getState();
    const now = tab!.runtime.now();
    expect(expiresAt! - now).toBeGreaterThan(60_000);
    expect(expiresAt! - now).toBeLessThanOrEqual(120_000);
    expect(sessionEndsAt! - now).toBeGreaterThan(3_000_000);
    expect(sessionEndsAt! - now).toBeLessThanOrEqual(3_600_000);
  });
});
