import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { ADMIN, CSRF_HEADERS, DEMO, login, makeTestApp, refresh, type TestApp } from './helpers.js';
import { serveLive } from './liveServer.js';

// Issue 35: the live endpoint (/api/live). The token travels in band; a new one is taken on the
// same connection; 4401 for a missing, refused or expired token, 4403 for another user's.

const serve = async (t: TestApp) => `${(await serveLive(t)).replace('http', 'ws')}/api/live`;

/** A client socket and what it received, as parsed messages, and how it closed. */
async function connect(url: string) {
  const ws = new WebSocket(url);
  const received: Array<Record<string, unknown>> = [];
  const waiters: Array<() => void> = [];
  ws.on('message', (data) => {
    received.push(JSON.parse((data as Buffer).toString('utf8')) as Record<string, unknown>);
    waiters.splice(0).forEach((wake) => wake());
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })),
  );
  await new Promise((resolve) => ws.once('open', resolve));
  /** Resolves once `count` messages arrived. */
  const messages = async (count: number) => {
    while (received.length < count) await new Promise<void>((wake) => waiters.push(wake));
    return received.slice(0, count);
  };
  const auth = (token: string) => ws.send(JSON.stringify({ type: 'auth', token }));
  return { ws, received, messages, closed, auth };
}

const addTodo = (t: TestApp, token: string, title: string) =>
  request(t.app)
    .post('/api/todos')
    .set('Authorization', `Bearer ${token}`)
    .send({ title })
    .expect(201);

describe('the live endpoint', () => {
  it("sends the user's todo changes, and takes a new token on the same connection", async () => {
    const t = await makeTestApp();
    const url = await serve(t);
    const session = await login(t.app, DEMO);
    const other = await login(t.app, ADMIN);
    const socket = await connect(url);
    socket.auth(session.accessToken);
    const [authed] = await socket.messages(1);
    expect(authed).toMatchObject({ type: 'authed', exp: expect.any(Number) as number });
    // Another user's change is not this connection's.
    await addTodo(t, other.accessToken, 'not mine');
    const todo = (await addTodo(t, session.accessToken, 'mine')).body as { id: string };
    expect((await socket.messages(2))[1]).toEqual({
      type: 'todo',
      id: 1,
      change: 'created',
      todo: expect.objectContaining({ id: todo.id, title: 'mine' }) as unknown,
    });

    const renewed = await refresh(t.app, session.refreshToken).set(CSRF_HEADERS).expect(200);
    socket.auth((renewed.body as { accessToken: string }).accessToken);
    expect((await socket.messages(3))[2]).toMatchObject({ type: 'authed' });
    await request(t.app)
      .delete(`/api/todos/${todo.id}`)
      .set('Authorization', `Bearer ${session.accessToken}`)
      .expect(204);
    expect((await socket.messages(4))[3]).toEqual({
      type: 'todo',
      id: 2,
      change: 'deleted',
      todo: { id: todo.id },
    });
    socket.ws.close();
  });

  it('closes with 4401 when the token expires, and on a refused token', async () => {
    const t = await makeTestApp({ accessTokenTtlSeconds: 60 });
    const url = await serve(t);
    // A token issued 58 s ago (the app's clock set back while signing in): 2 s left, which a
    // loaded machine's connect and auth fit in many times over.
    t.advance(-58_000);
    const session = await login(t.app, DEMO);
    t.advance(58_000);
    const expiring = await connect(url);
    expiring.auth(session.accessToken);
    await expiring.messages(1);
    expect(await expiring.closed).toEqual({ code: 4401, reason: 'token expired' });

    const refused = await connect(url);
    refused.auth('not.a.token');
    expect(await refused.closed).toEqual({ code: 4401, reason: 'token refused' });
    expect(refused.received).toEqual([]);
  });

  it("answers a ping once authenticated; closes with 4403 on another user's token, and 4400 on a message it does not understand", async () => {
    const t = await makeTestApp();
    const url = await serve(t);
    const demo = await login(t.app, DEMO);
    const admin = await login(t.app, ADMIN);
    const socket = await connect(url);
    socket.auth(demo.accessToken);
    await socket.messages(1);
    socket.ws.send('{"type":"ping"}');
    expect((await socket.messages(2))[1]).toEqual({ type: 'pong' });
    socket.auth(admin.accessToken);
    expect(await socket.closed).toEqual({ code: 4403, reason: 'another user' });

    const confused = await connect(url);
    confused.ws.send('{"type":"subscribe"}');
    expect((await confused.closed).code).toBe(4400);
    // A ping before any token is not understood either.
    const early = await connect(url);
    early.ws.send('{"type":"ping"}');
    expect((await early.closed).code).toBe(4400);
    expect(early.received).toEqual([]);
  });
});
