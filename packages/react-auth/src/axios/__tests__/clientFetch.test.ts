import { AuthUsageError } from '@tokenlane/core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { BASE, mockApi, USER } from '@tokenlane/test-kit';
import { createAuthClient, type AuthClient } from '../../createAuthClient.js';
import { expireAccessToken } from '@tokenlane/core/testing';
import { authedFetch } from '@tokenlane/core';
import { createFetchClient } from '@tokenlane/core';

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

describe('authedFetch(client)', () => {
  it("sends an axios client's Bearer token, and shares its refresh with client.axios", async () => {
    const fetch = authedFetch(client);
    expect(authedFetch(client)).toBe(fetch);
    expireAccessToken(client);
    const statuses = await Promise.all([
      client.axios.get('/api/data').then((r) => r.status),
      fetch('/api/data').then((r) => r.status),
      fetch('/api/data').then((r) => r.status),
    ]);
    expect(statuses).toEqual([200, 200, 200]);
    expect(api.state.refreshCalls).toBe(1);
  });

  it("uses the client's options: shouldRefreshResponse, and the fetch underneath", async () => {
    const seen: string[] = [];
    const picky = createAuthClient({
      baseURL: BASE,
      crossTab: false,
      shouldRefreshResponse: () => false,
      fetch: (input, init) => {
        seen.push(input instanceof Request ? input.url : input.toString());
        return fetch(input, init);
      },
    });
    await picky.login({ email: USER.email, password: 'right' });
    const answer = await authedFetch(picky)('/api/always-401');
    // Not an expiry by the client's rule: answered as is, no refresh, no retry.
    expect(answer.status).toBe(401);
    expect(api.state.refreshCalls).toBe(0);
    expect(seen).toEqual([`${BASE}/api/always-401`]);
    picky.dispose();
  });

  it("is a FetchClient's own client.fetch, and refuses an object that is not a client", () => {
    const fetchClient = createFetchClient({ baseURL: BASE, crossTab: false });
    expect(authedFetch(fetchClient)).toBe(fetchClient.fetch);
    fetchClient.dispose();
    expect(() => authedFetch({ ...client })).toThrow(AuthUsageError);
  });
});
