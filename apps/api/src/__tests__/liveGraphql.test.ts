import { describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { createClient } from 'graphql-ws';
import { ADMIN, DEMO, login, makeTestApp, type TestApp } from './helpers.js';
import { addTodo, serveLive, until } from './liveServer.js';

// Issue 35: GraphQL subscriptions (/api/graphql, graphql-ws). The token in connectionParams; a
// new one in band as a ping's payload; 4403 (graphql-ws's Forbidden, which its clients retry)
// for a refused, another user's or an expired token.

const SUBSCRIPTION = 'subscription { todoChanged { id change todoId title done } }';

/** A graphql-ws client that connects once (no retries), subscribed to the user's changes. */
async function subscribed(t: TestApp, token: string) {
  const url = `${(await serveLive(t)).replace('http', 'ws')}/api/graphql`;
  const changes: unknown[] = [];
  let socket: WebSocket | undefined;
  let pongs = 0;
  const closed = new Promise<{ code: number; reason: string }>((resolve) => {
    const client = createClient({
      url,
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      connectionParams: { token },
      on: {
        connected: (s) => (socket = s as WebSocket),
        pong: () => pongs++,
        closed: (event) => {
          const { code, reason } = event as { code: number; reason: string };
          resolve({ code, reason });
        },
      },
    });
    client.subscribe(
      { query: SUBSCRIPTION },
      { next: ({ data }) => changes.push(data), error: () => {}, complete: () => {} },
    );
  });
  const ping = (payload: unknown) => socket!.send(JSON.stringify({ type: 'ping', payload }));
  return { changes, closed, ping, pongs: () => pongs, connected: () => socket !== undefined };
}

describe('the GraphQL subscriptions endpoint', () => {
  it("delivers the user's own changes, and takes a new token in a ping on the same connection", async () => {
    const t = await makeTestApp();
    const demo = await login(t.app, DEMO);
    const admin = await login(t.app, ADMIN);
    const gql = await subscribed(t, demo.accessToken);
    await until(gql.connected);
    await addTodo(t, admin.accessToken, 'not mine').expect(201);
    await addTodo(t, demo.accessToken, 'mine').expect(201);
    await until(() => gql.changes.length === 1);
    expect(gql.changes).toEqual([
      {
        todoChanged: expect.objectContaining({
          id: 1,
          change: 'created',
          title: 'mine',
          done: false,
        }) as unknown,
      },
    ]);
    const renewed = await login(t.app, DEMO);
    gql.ping({ token: renewed.accessToken });
    await until(() => gql.pongs() === 1);
    await addTodo(t, demo.accessToken, 'still mine').expect(201);
    await until(() => gql.changes.length === 2);
    gql.ping({ token: admin.accessToken });
    expect(await gql.closed).toEqual({ code: 4403, reason: 'token refused' });
  });

  it('closes with 4403 on a refused token, and when the token expires', async () => {
    const t = await makeTestApp({ accessTokenTtlSeconds: 60 });
    const refused = await subscribed(t, 'not.a.token');
    expect((await refused.closed).code).toBe(4403);
    expect(refused.connected()).toBe(false);
    // Issued 58 s ago by the app's clock: 2 s left.
    t.advance(-58_000);
    const session = await login(t.app, DEMO);
    t.advance(58_000);
    const expiring = await subscribed(t, session.accessToken);
    expect(await expiring.closed).toEqual({ code: 4403, reason: 'token expired' });
    expect(expiring.connected()).toBe(true);
  });
});
