import { io, type Socket } from 'socket.io-client';
import { describe, expect, it } from 'vitest';
import { ADMIN, DEMO, login, makeTestApp, type TestApp } from './helpers.js';
import { addTodo, serveLive, until } from './liveServer.js';

// Issue 35: Socket.IO (/api/socket.io). The token in the handshake's auth; a new one in band
// (`auth`), answered with `authed`; `unauthorized` with why, then a server disconnect, for a
// refused, another user's or an expired token.

/** A Socket.IO client that connects once (no reconnection), and what it received. */
async function connected(t: TestApp, token: string) {
  const socket: Socket = io(await serveLive(t), {
    path: '/api/socket.io',
    transports: ['websocket'],
    reconnection: false,
    auth: { token },
  });
  const received: Array<[string, unknown]> = [];
  socket.onAny((event: string, data: unknown) => received.push([event, data]));
  const ended = new Promise<string>((resolve) => {
    socket.on('connect_error', (error) => resolve(`connect_error: ${error.message}`));
    socket.on('disconnect', (why) => resolve(why));
  });
  return { socket, received, ended };
}

const named = (received: Array<[string, unknown]>, name: string) =>
  received.filter(([event]) => event === name).map(([, data]) => data);

describe('the Socket.IO endpoint', () => {
  it("sends the user's own changes, and takes a new token in band", async () => {
    const t = await makeTestApp();
    const demo = await login(t.app, DEMO);
    const admin = await login(t.app, ADMIN);
    const client = await connected(t, demo.accessToken);
    await until(() => named(client.received, 'authed').length === 1);
    await addTodo(t, admin.accessToken, 'not mine').expect(201);
    await addTodo(t, demo.accessToken, 'mine').expect(201);
    await until(() => named(client.received, 'todo').length === 1);
    expect(named(client.received, 'todo')).toEqual([
      expect.objectContaining({
        id: 1,
        change: 'created',
        todo: expect.objectContaining({ title: 'mine' }) as unknown,
      }),
    ]);
    client.socket.emit('auth', (await login(t.app, DEMO)).accessToken);
    await until(() => named(client.received, 'authed').length === 2);
    client.socket.emit('auth', admin.accessToken);
    expect(await client.ended).toBe('io server disconnect');
    expect(named(client.received, 'unauthorized')).toEqual(['other-user']);
  });

  it('refuses a bad token at the handshake, and says `expired` when the token runs out', async () => {
    const t = await makeTestApp({ accessTokenTtlSeconds: 60 });
    const refused = await connected(t, 'not.a.token');
    expect(await refused.ended).toBe('connect_error: unauthorized');
    // Issued 58 s ago by the app's clock: 2 s left.
    t.advance(-58_000);
    const session = await login(t.app, DEMO);
    t.advance(58_000);
    const expiring = await connected(t, session.accessToken);
    expect(await expiring.ended).toBe('io server disconnect');
    expect(named(expiring.received, 'unauthorized')).toEqual(['expired']);
    // Past the API's clock tolerance (a token is still taken that long after its exp).
    t.advance(t.config.clockToleranceSeconds * 1000 + 1_000);
    const bad = await connected(t, session.accessToken);
    expect(await bad.ended).toBe('connect_error: unauthorized');
  });
});
