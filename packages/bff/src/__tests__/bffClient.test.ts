import fetchCookie from 'fetch-cookie';
import { CookieJar } from 'tough-cookie';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bffServer, createFetchClient, type FetchClient } from '@tokenlane/core';
import { DEMO } from '@tokenlane/test-harness';
import { indexHash } from '../sessions.js';
import { startTokenlaneStack, type TokenlaneStack } from './support/tokenlaneStack.js';

// The app's client, unchanged but for its server profile: @tokenlane/core's fetch client with
// `server: bffServer()` against a real BFF on the real API.

let stack: TokenlaneStack;
beforeAll(async () => void (stack = await startTokenlaneStack()));
afterAll(() => stack.close());

/** A page: its fetch (with the browser's cookie jar) records every header it sends. */
function page(jar = new CookieJar()) {
  const sent: Headers[] = [];
  const browserFetch = fetchCookie(fetch, jar);
  const recording: typeof fetch = (input, init) => {
    sent.push(new Headers(init?.headers));
    return browserFetch(input, init);
  };
  const client = createFetchClient({
    server: bffServer(),
    baseURL: stack.origin,
    fetch: recording,
    crossTab: false,
  });
  return { client, sent, jar };
}

const statusOf = (client: FetchClient) => client.getState().status;

describe('createFetchClient with bffServer()', () => {
  it('signs in through the BFF and calls the proxy with the custom header and no Authorization', async () => {
    const { client, sent } = page();
    await client.login(DEMO);
    expect(statusOf(client)).toBe('authenticated');
    expect(client.getState().user).toMatchObject({ email: DEMO.email });
    const answer = await client.fetch('/api/todos');
    expect(answer.status).toBe(200);
    expect(sent.length).toBeGreaterThanOrEqual(2);
    for (const headers of sent) {
      expect(headers.get('authorization')).toBeNull();
      expect(headers.get('x-requested-with')).toBe('XMLHttpRequest');
    }
    await client.logout();
    expect(statusOf(client)).toBe('unauthenticated');
  });

  it('makes no refresh call of its own across an expiry: the BFF refreshes once', async () => {
    const { client } = page();
    await client.login(DEMO);
    let refreshes = 0;
    client.on('refresh-start', () => refreshes++);
    stack.api.reset();
    stack.advance(61_000);
    const statuses = await Promise.all(
      Array.from({ length: 20 }, () => client.fetch('/api/todos').then((answer) => answer.status)),
    );
    expect(statuses).toEqual(Array(20).fill(200));
    expect(stack.api.counts.refresh).toBe(1);
    expect(refreshes).toBe(0);
  });

  it('signs out with a typed reason when the BFF session ends server-side', async () => {
    const { client } = page();
    await client.login(DEMO);
    const reasons: string[] = [];
    client.on('logout', ({ reason }) => reasons.push(reason));
    // The provider ended the session (back-channel logout, an admin): the BFF forgets it.
    const { id } = client.getState().user as { id: string };
    expect(await stack.store.deleteWhere({ subject: indexHash(id) })).toBeGreaterThan(0);
    await expect(client.fetch('/api/todos')).rejects.toMatchObject({ name: 'SessionExpiredError' });
    expect(statusOf(client)).toBe('unauthenticated');
    expect(reasons).toEqual(['remote']);
  });

  it('adopts the session a server rendered with (hydration): no call at start, then calls as usual', async () => {
    const signedIn = page();
    await signedIn.client.login(DEMO);
    // The server renders the reload: the session from the browser's cookie.
    const cookie = await signedIn.jar.getCookieString(stack.origin);
    const rendered = await stack.bff.getSession(new Request(stack.origin, { headers: { cookie } }));
    const reload = page(signedIn.jar);
    const restoring = reload.client.restore(rendered!.facts);
    // Held at once, before the restore settles: no loading render.
    expect(reload.client.getState()).toMatchObject({
      status: 'authenticated',
      user: { email: DEMO.email },
    });
    await restoring;
    await reload.client.restore();
    expect(reload.sent).toHaveLength(0);
    expect((await reload.client.fetch('/api/todos')).status).toBe(200);
    expect(reload.sent).toHaveLength(1);
  });
});
