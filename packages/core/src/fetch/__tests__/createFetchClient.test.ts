import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { BASE, mockApi, USER } from '@tokenlane/test-kit';
import { SessionExpiredError } from '../../session/errors.js';
import { createFetchClient, type FetchClient } from '../createFetchClient.js';

const api = mockApi();
beforeAll(() => api.server.listen({ onUnhandledRequest: 'error' }));
afterAll(() => api.server.close());

let client: FetchClient;
beforeEach(async () => {
  api.reset();
  client = createFetchClient({ baseURL: BASE, crossTab: false });
  await client.login({ email: USER.email, password: 'right' });
});
afterEach(() => client.dispose());

describe('createFetchClient', () => {
  it('signs in over fetch and renews a burst after expiry with one refresh', async () => {
    expect(client.getState()).toMatchObject({ status: 'authenticated', user: USER });
    api.expire();
    const answers = await Promise.all(Array.from({ length: 20 }, () => client.fetch('/api/data')));
    expect(answers.map((a) => a.status)).toEqual(Array(20).fill(200));
    expect(api.state.refreshCalls).toBe(1);
  });

  it('signs out when the server refuses to renew, rejecting the waiting requests', async () => {
    api.state.refreshFails = 'reject';
    api.expire();
    const results = await Promise.allSettled([
      client.fetch('/api/data'),
      client.fetch('/api/data'),
    ]);
    for (const result of results) {
      expect(result).toMatchObject({
        status: 'rejected',
        reason: expect.any(SessionExpiredError) as Error,
      });
    }
    expect(client.getState().status).toBe('unauthenticated');
  });
});

describe('the built package', () => {
  it('imports no axios, React or TanStack anywhere in its module graph', () => {
    const dist = fileURLToPath(new URL('../../../dist/', import.meta.url));
    const seen = new Set<string>();
    const imports: string[] = [];
    const visit = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      const code = readFileSync(`${dist}${file}`, 'utf8');
      for (const [, specifier] of code.matchAll(/(?:from|import)\s*["']([^"']+)["']/g)) {
        if (specifier!.startsWith('./')) visit(specifier!.slice(2));
        else imports.push(specifier!);
      }
    };
    const entries = ['index', 'adapter', 'oauth', 'dpop', 'step-up', 'idle', 'session-end', 'live'];
    for (const entry of [...entries, 'otel', 'testing']) visit(`${entry}.js`);
    expect(seen.size).toBeGreaterThan(9);
    expect(imports.filter((name) => /^(axios|react|react-dom|@tanstack\/)/.test(name))).toEqual([]);
  });
});

describe('client.fetch URLs', () => {
  it('joins a relative path to baseURL, as axios does, and leaves an absolute URL alone', async () => {
    const nested = createFetchClient({ baseURL: `${BASE}/api/`, crossTab: false });
    await nested.login({ email: USER.email, password: 'right' });
    await expect(nested.fetch('/data')).resolves.toMatchObject({ status: 200 });
    await expect(nested.fetch('data')).resolves.toMatchObject({ status: 200 });
    const absolute = await nested.fetch('http://other.test/data');
    expect(await absolute.json()).toEqual({ auth: null });
    expect(api.state.seen.map((seen) => seen.path)).toEqual(['/api/data', '/api/data', '/data']);
    nested.dispose();
  });
});

describe('client.fetch per-request control and throwing options', () => {
  it('{ auth: false } sends no token; { refresh: false } returns the expiry answer without a refresh', async () => {
    const open = await client.fetch('/api/headers', { tokenlane: { auth: false } });
    expect(await open.json()).toEqual({ auth: null });
    api.expire();
    const answer = await client.fetch('/api/data', { tokenlane: { refresh: false } });
    expect(answer.status).toBe(401);
    expect(api.state.refreshCalls).toBe(0);
  });

  it('a throwing shouldRefresh fails that request with an AuthError naming it; the others go on', async () => {
    const picky = createFetchClient({
      baseURL: BASE,
      crossTab: false,
      shouldRefresh: (response) => {
        if (response.url.endsWith('/api/always-401')) throw new Error('cannot decide');
        return response.status === 401;
      },
    });
    await picky.login({ email: USER.email, password: 'right' });
    api.expire();
    const [failed, ...others] = await Promise.allSettled([
      picky.fetch('/api/always-401'),
      ...Array.from({ length: 5 }, () => picky.fetch('/api/data')),
    ]);
    expect((failed as PromiseRejectedResult).reason).toMatchObject({ code: 'option_failed' });
    expect(
      others.map((result) => (result as PromiseFulfilledResult<Response>).value.status),
    ).toEqual(Array(5).fill(200));
    picky.dispose();
  });
});
