import ky from 'ky';
import { ofetch } from 'ofetch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fetchCookie from 'fetch-cookie';
import { CookieJar } from 'tough-cookie';
import { DEMO, startTestApi } from '@tokenlane/test-harness';
import { createFetchClient, type FetchClient } from '@tokenlane/react-auth/fetch';
import { frozenTab } from './timing.js';

// The README's ky and ofetch recipes, against the real API.

let api: Awaited<ReturnType<typeof startTestApi>>;
let skew = 0;
let auth: FetchClient;

beforeAll(async () => {
  api = await startTestApi({ accessTokenTtlSeconds: 60, now: () => Date.now() + skew });
  auth = createFetchClient({
    baseURL: api.url,
    crossTab: false,
    runtime: frozenTab,
    fetch: fetchCookie(fetch, new CookieJar()),
  });
  await auth.login({ email: DEMO.email, password: DEMO.password });
});
afterAll(async () => {
  auth.dispose();
  await api.close();
});

const expireOnServer = () => {
  skew += 61_000;
  api.reset();
};

// The recipes, as the README gives them (with this test's API address).
const kyApi = () =>
  ky.create({
    prefixUrl: api.url,
    fetch: auth.fetch,
    // Tokenlane renews and retries on 401; ky retries only what a retry can fix, never a 401.
    retry: { limit: 2, statusCodes: [408, 429, 500, 502, 503, 504] },
  });
const ofetchApi = () =>
  ofetch.create(
    { baseURL: api.url, retry: 1, retryStatusCodes: [408, 429, 500, 502, 503, 504] },
    { fetch: auth.fetch },
  );

type Todo = { id: number; title: string };

describe.each([
  ['ky', () => kyApi().get('api/todos').json<Todo[]>()],
  ['ofetch', () => ofetchApi()<Todo[]>('/api/todos')],
] as const)('the %s recipe', (_name, getTodos) => {
  it('a burst of 50 after expiry: one refresh, 50 of 50 answered', async () => {
    expireOnServer();
    const results = await Promise.allSettled(Array.from({ length: 50 }, getTodos));
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(50);
    expect(api.counts.refresh).toBe(1);
    expect(api.counts.unauthorized).toBeGreaterThanOrEqual(1);
  });
});

describe('the recipes do not fight Tokenlane over a 401', () => {
  it('ky does not resend a 401 that reaches it', async () => {
    api.reset();
    const refused = kyApi().get('api/todos', { headers: { Authorization: 'Bearer forged' } });
    await expect(refused).rejects.toMatchObject({ response: { status: 401 } });
    expect(api.counts).toMatchObject({ api: 1, unauthorized: 1, refresh: 0 });
  });

  it('ofetch does not resend a 401 that reaches it', async () => {
    api.reset();
    const refused = ofetchApi()('/api/todos', { headers: { Authorization: 'Bearer forged' } });
    await expect(refused).rejects.toMatchObject({ status: 401 });
    expect(api.counts).toMatchObject({ api: 1, unauthorized: 1, refresh: 0 });
  });
});
