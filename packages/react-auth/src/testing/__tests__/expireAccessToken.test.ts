import { AuthUsageError, authedFetch, createFetchClient } from '@tokenlane/core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { BASE, mockApi, USER } from '@tokenlane/test-kit';
import { createAuthClient, type AuthClient } from '../../createAuthClient.js';
import { expireAccessToken } from '@tokenlane/core/testing';
import { fakeRuntime } from '@tokenlane/test-kit/fakes';

const api = mockApi();
beforeAll(() => api.server.listen({ onUnhandledRequest: 'error' }));
afterAll(() => api.server.close());

let client: AuthClient;
beforeEach(async () => {
  api.reset();
  client = createAuthClient({ baseURL: BASE, crossTab: false });
  await client.login({ email: USER.email, password: 'right' });
});
afterEach(() => client.dispose());

describe('expireAccessToken', () => {
  it('makes a burst right after share one refresh, with no request refused', async () => {
    expireAccessToken(client);
    expect(client.getState().expiresAt).toBeLessThanOrEqual(Date.now());
    const answers = await Promise.all([
      ...Array.from({ length: 10 }, () => client.axios.get('/api/data').then((r) => r.status)),
      ...Array.from({ length: 10 }, () => authedFetch(client)('/api/data').then((r) => r.status)),
    ]);
    expect(answers).toEqual(Array(20).fill(200));
    expect(api.state.refreshCalls).toBe(1);
    expect(api.state.seen.filter((s) => s.auth === 'Bearer A0')).toEqual([]);
  });

  it('refreshes nothing by itself: the next request renews the token, for the reason "expired"', async () => {
    // Its own client, on timers the test moves.
    const clock = fakeRuntime(Date.now());
    const timed = createAuthClient({ baseURL: BASE, crossTab: false, runtime: clock.runtime });
    await timed.login({ email: USER.email, password: 'right' });
    api.state.refreshCalls = 0;
    const reasons: string[] = [];
    timed.on('refresh-start', ({ reason }) => reasons.push(reason));
    expireAccessToken(timed);
    await clock.advance(1_000);
    expect(api.state.refreshCalls).toBe(0);
    await authedFetch(timed)('/api/data');
    timed.dispose();
    expect(reasons).toEqual(['expired']);
    expect(api.state.refreshCalls).toBe(1);
  });

  it('works on a fetch client, and refuses an object that is not a client', async () => {
    const fetchClient = createFetchClient({ baseURL: BASE, crossTab: false });
    await fetchClient.login({ email: USER.email, password: 'right' });
    api.state.refreshCalls = 0;
    expireAccessToken(fetchClient);
    await expect(fetchClient.fetch('/api/data')).resolves.toMatchObject({ status: 200 });
    expect(api.state.refreshCalls).toBe(1);
    fetchClient.dispose();
    expect(() => expireAccessToken({ ...client })).toThrow(AuthUsageError);
  });
});
