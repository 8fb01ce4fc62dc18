import { describe, expect, it, vi } from 'vitest';
import { fakeRuntime, settle, USER } from '@tokenlane/test-kit/fakes';
import { createFetchClient } from '../../fetch/createFetchClient.js';
import { createMemoryChannelHub } from '../../session/memoryChannel.js';
import { createMemoryLock } from '../../session/lock.js';
import { AuthUsageError } from '../../session/errors.js';
import type { AuthUser } from '../../session/types.js';
import {
  authedWebSocket,
  type AuthedWebSocketOptions,
  type WebSocketLike,
} from '../authedWebSocket.js';
import { live, type LiveCloseReason } from '../liveConnections.js';
import { OTHER, tokenServer } from './support/tokenServer.js';

// Issue 35: a WebSocket on the session. One virtual clock, a token server behind `fetch` (tokens
// `t1`, `t2`, … living 60 s) and sockets the test opens, answers and closes as a server would.

class FakeSocket implements WebSocketLike {
  sent: string[] = [];
  closedWith: number | undefined;
  closedFor: string | undefined;
  onopen: ((event: never) => void) | null = null;
  onmessage: ((event: { data: unknown }) => void) | null = null;
  onclose: ((event: { code: number }) => void) | null = null;
  onerror: ((event: unknown) => void) | null = null;
  send(data: string) {
    this.sent.push(data);
  }
  close(code?: number, reason?: string) {
    this.closedWith = code;
    this.closedFor = reason;
  }
  open = () => this.onopen?.(undefined as never);
  receive = (data: string) => this.onmessage?.({ data });
  serverClose = (code: number) => this.onclose?.({ code });
  /** The tokens it was authenticated with, and the app's messages, in order. */
  get log() {
    return this.sent.map((text) => {
      const token = /^\{"type":"auth","token":"(.*)"\}$/.exec(text)?.[1];
      return token === undefined ? text : `auth ${token}`;
    });
  }
}

function world() {
  const clock = fakeRuntime();
  const { fetch, refreshes } = tokenServer();
  const hub = createMemoryChannelHub<AuthUser>();
  const lock = createMemoryLock(clock.runtime);
  const tab = () => {
    const plugin = live();
    const client = createFetchClient<AuthUser>({
      baseURL: 'https://api.test/',
      fetch,
      runtime: clock.runtime,
      crossTab: { lock, channel: hub.connect() },
      plugins: [plugin],
    });
    return client;
  };
  const sockets: FakeSocket[] = [];
  const open = (client: object, options: AuthedWebSocketOptions = {}) => {
    const closes: LiveCloseReason[] = [];
    const socket = authedWebSocket(client, 'wss://api.test/api/live', {
      connect: () => {
        const next = new FakeSocket();
        sockets.push(next);
        return next;
      },
      onClose: (reason) => closes.push(reason),
      ...options,
    });
    return { socket, closes };
  };
  return { clock, tab, open, sockets, refreshes };
}

const signedIn = async (w: ReturnType<typeof world>) => {
  const client = w.tab();
  await client.login({ email: USER.email, password: 'pw' });
  return client;
};

/** A signed-in tab with a socket on it, its first connection open. */
const connected = async (w: ReturnType<typeof world>, options?: AuthedWebSocketOptions) => {
  const client = await signedIn(w);
  const opened = w.open(client, options);
  await settle();
  w.sockets[0]!.open();
  return { client, ...opened };
};

describe('authedWebSocket', () => {
  it('authenticates in band first, then gets each new token on the same connection: 10 rotations, 10 refreshes shared with HTTP, 0 reconnects', async () => {
    const w = world();
    const { client, socket } = await connected(w);
    socket.send('hello');
    // Whenever the proactive refresh comes, the HTTP side asks for the token too: one refresh.
    while (w.refreshes() < 10) {
      await w.clock.advance(1_000);
      await client.getAccessToken();
    }
    await w.clock.advance(1_000);
    expect(w.refreshes()).toBe(10);
    expect(w.sockets).toHaveLength(1);
    expect(socket.reconnects).toBe(0);
    expect(w.sockets[0]!.log).toEqual([
      'auth t1',
      'hello',
      ...[2, 3, 4, 5, 6, 7, 8, 9, 10, 11].map((n) => `auth t${n}`),
    ]);
  });

  it('after a 4401 it waits a random time below the window, renews with one refresh, authenticates, calls onOpen again and sends what waited', async () => {
    const w = world();
    const onOpen = vi.fn();
    const { socket } = await connected(w, { onOpen, reconnectWindowMs: 10_000 });
    w.sockets[0]!.serverClose(4401);
    socket.send('queued');
    // random() is 0.5: half the window.
    await w.clock.advance(4_999);
    expect(w.sockets).toHaveLength(1);
    await w.clock.advance(1);
    w.sockets[1]!.open();
    expect(w.refreshes()).toBe(1);
    expect(w.sockets[1]!.log).toEqual(['auth t2', 'queued']);
    expect(onOpen).toHaveBeenCalledTimes(2);
    expect(socket.reconnects).toBe(1);
  });

  it('another user signing in connects again at once, as them (a connection belongs to one user)', async () => {
    const w = world();
    const { client, socket } = await connected(w);
    await client.login({ email: OTHER.email, password: 'pw' });
    await settle();
    await settle();
    expect(w.sockets[0]!).toMatchObject({ closedWith: 1000, closedFor: 'another user' });
    // Sent before the new connection is open: it waits for it, after the new user's token.
    socket.send('hello');
    w.sockets[1]!.open();
    expect(w.sockets[1]!.log).toEqual(['auth t2', 'hello']);
    expect(w.sockets[0]!.log).toEqual(['auth t1']);
    expect(socket.closed).toBeNull();
  });

  it('authenticates with a token that landed while it connected', async () => {
    const w = world();
    const client = await signedIn(w);
    w.open(client);
    await settle();
    await client.refresh({ force: true });
    await settle();
    w.sockets[0]!.open();
    expect(w.sockets[0]!.log).toEqual(['auth t2']);
  });

  it('takes its own auth message, subprotocols and reconnect window; ends by closing its socket with 1000 and the reason', async () => {
    const w = world();
    const offered: Array<string | string[] | undefined> = [];
    const { client, socket } = await connected(w, {
      protocols: ['live.v1'],
      authMessage: (token) => `AUTH ${token}`,
      reconnectWindowMs: 1_000,
      connect: (_url, protocols) => {
        offered.push(protocols);
        const next = new FakeSocket();
        w.sockets.push(next);
        return next;
      },
    });
    expect(w.sockets[0]!.sent).toEqual(['AUTH t1']);
    expect(offered).toEqual([['live.v1']]);
    w.sockets[0]!.serverClose(1006);
    // A window of 1 s: the reconnect comes within it (at the default 10 s it would not yet).
    await w.clock.advance(1_000);
    expect(w.sockets).toHaveLength(2);
    w.sockets[1]!.open();
    expect(socket.reconnects).toBe(1);
    await client.logout();
    expect(w.sockets[1]!.closedWith).toBe(1000);
    expect(socket.closed).toBe('user');
  });

  it('a network loss reconnects with the token it has (no refresh)', async () => {
    const w = world();
    await connected(w);
    w.sockets[0]!.serverClose(1006);
    await w.clock.advance(5_000);
    w.sockets[1]!.open();
    expect(w.refreshes()).toBe(0);
    expect(w.sockets[1]!.log).toEqual(['auth t1']);
  });

  it('after a sleep past the expiry, the token is renewed before the first message goes out', async () => {
    const w = world();
    const { socket } = await connected(w);
    w.clock.sleep(5 * 60_000);
    w.clock.wake();
    socket.send('after the sleep');
    await settle();
    await settle();
    expect(w.refreshes()).toBe(1);
    expect(w.sockets[0]!.log).toEqual(['auth t1', 'auth t2', 'after the sleep']);
  });

  it('closes every connection with the reason when the session ends in another tab, and does not reconnect', async () => {
    const w = world();
    const a = w.tab();
    const b = w.tab();
    await a.login({ email: USER.email, password: 'pw' });
    await settle();
    const { socket, closes } = w.open(b);
    await settle();
    w.sockets[0]!.open();
    await a.logout();
    await settle();
    expect(closes).toEqual(['user']);
    expect(socket.closed).toBe('user');
    expect(w.sockets[0]!.closedWith).toBe(1000);
    await w.clock.advance(60_000);
    expect(w.sockets).toHaveLength(1);
  });

  it('4403 (another user) closes it as refused; three 4401s with no word from the server in between too', async () => {
    const w = world();
    const client = await signedIn(w);
    const other = w.open(client);
    await settle();
    w.sockets[0]!.open();
    w.sockets[0]!.serverClose(4403);
    expect(other.closes).toEqual(['refused']);

    const { closes } = w.open(client);
    await settle();
    for (let attempt = 0; attempt < 3; attempt++) {
      w.sockets.at(-1)!.open();
      w.sockets.at(-1)!.serverClose(4401);
      await w.clock.advance(40_000);
    }
    expect(closes).toEqual(['refused']);
    expect(w.sockets).toHaveLength(4);
  });

  it('closed before its first connection, it opens none', async () => {
    const w = world();
    const client = await signedIn(w);
    const { socket, closes } = w.open(client);
    socket.close();
    await settle();
    expect(w.sockets).toHaveLength(0);
    expect(closes).toEqual(['closed']);
  });

  it('needs the live() plug-in', () => {
    const client = createFetchClient({ baseURL: 'https://api.test/', crossTab: false });
    expect(() => authedWebSocket(client, 'wss://api.test/api/live')).toThrow(AuthUsageError);
    expect(() => authedWebSocket(client, 'wss://api.test/api/live')).toThrow(
      'authedWebSocket: the client has no live() plug-in',
    );
  });

  it('network losses back off (5, 10, 20, 20 s at random() 0.5) and never count as refusals; a word from the server starts over', async () => {
    const w = world();
    const client = await signedIn(w);
    const { socket } = w.open(client);
    await settle();
    /** Loses the newest connection, and says how long until the next one opens. */
    const lose = async () => {
      w.sockets.at(-1)!.open();
      w.sockets.at(-1)!.serverClose(1006);
      const before = w.sockets.length;
      let waited = 0;
      while (w.sockets.length === before && waited < 60_000) {
        await w.clock.advance(1_000);
        waited += 1_000;
      }
      return waited;
    };
    expect([await lose(), await lose(), await lose(), await lose()]).toEqual([
      5_000, 10_000, 20_000, 20_000,
    ]);
    expect(socket.closed).toBeNull();
    w.sockets.at(-1)!.open();
    w.sockets.at(-1)!.receive('{"type":"authed"}');
    expect(await lose()).toBe(5_000);
  });

  it('opened while signed out: closes at once, as expired', async () => {
    const w = world();
    const { socket, closes } = w.open(w.tab());
    await settle();
    await settle();
    expect(closes).toEqual(['expired']);
    expect(socket.closed).toBe('expired');
    expect(w.sockets).toHaveLength(0);
  });

  it("ignores the close of a connection it already replaced (another user's sign-in)", async () => {
    const w = world();
    const { client, socket } = await connected(w);
    await client.login({ email: OTHER.email, password: 'pw' });
    await settle();
    await settle();
    w.sockets[0]!.serverClose(4401);
    w.sockets[1]!.open();
    await w.clock.advance(60_000);
    expect(w.sockets).toHaveLength(2);
    expect(socket.reconnects).toBe(0);
  });

  it("another tab's refresh reaches this tab's connection in band, with no refresh here", async () => {
    const w = world();
    const a = w.tab();
    const b = w.tab();
    await a.login({ email: USER.email, password: 'pw' });
    await settle();
    w.open(b);
    await settle();
    w.sockets[0]!.open();
    await a.refresh({ force: true });
    await settle();
    await settle();
    expect(w.sockets[0]!.log).toEqual(['auth t1', 'auth t2']);
    expect(w.refreshes()).toBe(1);
  });

  it("the client's dispose() closes every connection ('closed'); a disposed client or an unattached live() opens none", async () => {
    const w = world();
    const { client, closes } = await connected(w);
    client.dispose();
    expect(closes).toEqual(['closed']);
    expect(w.sockets[0]!.closedWith).toBe(1000);
    expect(() => w.open(client)).toThrow(
      expect.objectContaining({
        code: 'live_not_configured',
        message: 'live(): client disposed',
      }) as Error,
    );
    expect(() => live().session()).toThrow(
      expect.objectContaining({
        code: 'live_not_configured',
        message: "live(): not in a client's plugins",
      }) as Error,
    );
  });
});
