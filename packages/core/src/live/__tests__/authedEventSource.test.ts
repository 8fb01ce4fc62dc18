import { describe, expect, it, vi } from 'vitest';
import { fakeRuntime, settle, USER } from '@tokenlane/test-kit/fakes';
import { createFetchClient } from '../../fetch/createFetchClient.js';
import { bffServer } from '../../session/bffProfile.js';
import type { AuthUser } from '../../session/types.js';
import {
  authedEventSource,
  type AuthedEventSourceOptions,
  type ServerSentEvent,
} from '../authedEventSource.js';
import { live, type LiveCloseReason } from '../liveConnections.js';
import { OTHER, tokenServer } from './support/tokenServer.js';

// Issue 35: Server-Sent Events over fetch on the session. A token server (tokens `t1`, `t2`, …
// living 60 s) and an event server whose streams the test writes to and ends, on one clock.

function eventServer() {
  const streams: Array<{
    token: string;
    headers: Headers;
    lastEventId: string | null;
    write(text: string): void;
    end(): void;
  }> = [];
  const posts: Array<{ token: string; stream: string }> = [];
  const postUrls: string[] = [];
  const postTypes: Array<string | null> = [];
  let refuse = 0;
  let fail = 0;
  const fetch = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(input, init);
    const token = request.headers.get('authorization')?.replace('Bearer ', '') ?? '';
    if (request.method === 'POST') {
      const { stream } = (await request.json()) as { stream: string };
      posts.push({ token, stream });
      postUrls.push(request.url);
      postTypes.push(request.headers.get('content-type'));
      return new Response(null, { status: 204 });
    }
    if (refuse > 0 && refuse--) return new Response(null, { status: 401 });
    if (fail > 0 && fail--) return new Response(null, { status: 503 });
    let controller!: ReadableStreamDefaultController<Uint8Array>;
    const body = new ReadableStream<Uint8Array>({ start: (c) => void (controller = c) });
    const encoder = new TextEncoder();
    streams.push({
      token,
      headers: request.headers,
      lastEventId: request.headers.get('last-event-id'),
      write: (text) => controller.enqueue(encoder.encode(text)),
      end: () => controller.close(),
    });
    return new Response(body, { headers: { 'Content-Type': 'text/event-stream' } });
  });
  return {
    fetch,
    streams,
    posts,
    postUrls,
    postTypes,
    refuseNext: (times = 1) => void (refuse = times),
    failNext: (times: number) => void (fail = times),
  };
}

async function world(extra: AuthedEventSourceOptions & { url?: string } = {}) {
  const clock = fakeRuntime();
  const { fetch: tokenFetch, refreshes } = tokenServer();
  const client = createFetchClient<AuthUser>({
    baseURL: 'https://api.test/',
    fetch: tokenFetch,
    runtime: clock.runtime,
    crossTab: false,
    plugins: [live()],
  });
  await client.login({ email: USER.email, password: 'pw' });
  const server = eventServer();
  const events: ServerSentEvent[] = [];
  const closes: LiveCloseReason[] = [];
  const { url = 'https://api.test/api/events', ...options } = extra;
  const source = authedEventSource(client, url, {
    fetch: server.fetch,
    onEvent: (event) => events.push(event),
    onClose: (reason) => closes.push(reason),
    ...options,
  });
  await settle();
  return { clock, client, server, events, closes, source, refreshes };
}

const todo = (id: number) => `id: ${id}\nevent: todo\ndata: {"n":${id}}\n\n`;

describe('authedEventSource', () => {
  it('sends the token in the header, posts each new one for the stream, and never reconnects for it', async () => {
    const w = await world();
    expect(w.server.streams[0]!.token).toBe('t1');
    w.server.streams[0]!.write('event: ready\ndata: {"stream":"s1"}\n\n');
    w.server.streams[0]!.write(todo(1));
    await settle();
    while (w.refreshes() < 3) await w.clock.advance(1_000);
    await settle();
    expect(w.server.posts).toEqual([
      { token: 't2', stream: 's1' },
      { token: 't3', stream: 's1' },
      { token: 't4', stream: 's1' },
    ]);
    expect(w.server.streams).toHaveLength(1);
    expect(w.source.reconnects).toBe(0);
    expect(w.events).toEqual([{ id: '1', event: 'todo', data: '{"n":1}' }]);
  });

  it("after the server's `expired`, connects again with a renewed token and Last-Event-ID, and loses nothing", async () => {
    const w = await world();
    const first = w.server.streams[0]!;
    first.write('event: ready\ndata: {"stream":"s1"}\n\n' + todo(1) + todo(2));
    first.write('event: expired\ndata: {}\n\n');
    first.end();
    await settle();
    await w.clock.advance(10_000);
    await settle();
    const second = w.server.streams[1]!;
    expect({ token: second.token, lastEventId: second.lastEventId }).toEqual({
      token: 't2',
      lastEventId: '2',
    });
    expect(w.refreshes()).toBe(1);
    second.write('event: ready\ndata: {"stream":"s2"}\n\n' + todo(3));
    await settle();
    expect(w.events.map((event) => event.id)).toEqual(['1', '2', '3']);
    expect(w.source.reconnects).toBe(1);
  });

  it('a 401 renews with one refresh and connects again; a network loss reconnects with the token it has', async () => {
    const w = await world();
    w.server.streams[0]!.end();
    w.server.refuseNext();
    await w.clock.advance(10_000);
    await settle();
    // The refused attempt, then its retry with a renewed token.
    await w.clock.advance(20_000);
    await settle();
    expect(w.server.streams.map((stream) => stream.token)).toEqual(['t1', 't2']);
    expect(w.refreshes()).toBe(1);
  });

  it('closes with the reason when the session ends', async () => {
    const w = await world();
    w.server.streams[0]!.write('event: ready\ndata: {"stream":"s1"}\n\n');
    await settle();
    await w.client.logout();
    await settle();
    expect(w.closes).toEqual(['user']);
    expect(w.source.closed).toBe('user');
    await w.clock.advance(60_000);
    expect(w.server.streams).toHaveLength(1);
  });

  it('three refusals in a row close it as refused', async () => {
    const w = await world();
    w.server.streams[0]!.end();
    w.server.refuseNext(3);
    for (let step = 0; step < 6 && !w.source.closed; step++) await w.clock.advance(40_000);
    expect(w.closes).toEqual(['refused']);
    expect(w.server.streams).toHaveLength(1);
  });

  it('after a wake-up, posts the renewed token for the stream; close() ends it for good', async () => {
    const w = await world();
    w.server.streams[0]!.write('event: ready\ndata: {"stream":"s1"}\n\n' + 'data: plain\n\n');
    await settle();
    w.clock.sleep(5 * 60_000);
    w.clock.wake();
    await settle();
    await settle();
    expect(w.server.posts).toEqual([{ token: 't2', stream: 's1' }]);
    expect(w.events).toEqual([{ id: undefined, event: 'message', data: 'plain' }]);
    w.source.close();
    await settle();
    expect(w.closes).toEqual(['closed']);
    await w.clock.advance(60_000);
    expect(w.server.streams).toHaveLength(1);
  });

  it('another user signing in starts a new stream at once, as them, from the start', async () => {
    const w = await world();
    w.server.streams[0]!.write('event: ready\ndata: {"stream":"s1"}\n\n' + todo(7));
    await settle();
    expect(w.source.lastEventId).toBe('7');
    await w.client.login({ email: OTHER.email, password: 'pw' });
    await settle();
    await settle();
    const second = w.server.streams[1]!;
    expect({ token: second.token, lastEventId: second.lastEventId }).toEqual({
      token: 't2',
      lastEventId: null,
    });
    expect(w.source.closed).toBeNull();
    // The replaced stream ending later starts nothing.
    w.server.streams[0]!.end();
    await w.clock.advance(60_000);
    expect(w.server.streams).toHaveLength(2);
    expect(w.source.reconnects).toBe(0);
  });

  it('posts new tokens to `${url}/auth` (without a trailing slash) or to `authUrl`; onOpen runs at each start', async () => {
    let opened = 0;
    const w = await world({ url: 'https://api.test/api/events/', onOpen: () => opened++ });
    w.server.streams[0]!.write('event: ready\ndata: {"stream":"s1"}\n\n');
    await settle();
    expect(opened).toBe(1);
    while (w.refreshes() < 1) await w.clock.advance(1_000);
    await settle();
    expect(w.server.postUrls).toEqual(['https://api.test/api/events/auth']);
    w.server.streams[0]!.end();
    await w.clock.advance(10_000);
    await settle();
    w.server.streams[1]!.write('event: ready\ndata: {"stream":"s2"}\n\n');
    await settle();
    expect(opened).toBe(2);

    const other = await world({ authUrl: 'https://api.test/renew' });
    other.server.streams[0]!.write('event: ready\ndata: {"stream":"s1"}\n\n');
    await settle();
    while (other.refreshes() < 1) await other.clock.advance(1_000);
    await settle();
    expect(other.server.postUrls).toEqual(['https://api.test/renew']);
  });

  it('a server error is no refusal: it tries again within its reconnect window, as long as it takes', async () => {
    const w = await world({ reconnectWindowMs: 1_000 });
    w.server.streams[0]!.end();
    w.server.failNext(5);
    // Each wait is below the window, doubled up to 4x: 4 s covers every one.
    for (let step = 0; step < 6; step++) await w.clock.advance(4_000);
    await settle();
    expect(w.server.streams).toHaveLength(2);
    expect(w.source.reconnects).toBe(6);
    expect(w.source.closed).toBeNull();
    expect(w.refreshes()).toBe(0);
  });

  it('needs the live() plug-in; asks for an event stream, and posts new tokens as JSON', async () => {
    const bare = createFetchClient({ baseURL: 'https://api.test/', crossTab: false });
    expect(() => authedEventSource(bare, 'https://api.test/api/events')).toThrow(
      'authedEventSource: the client has no live() plug-in',
    );
    const w = await world();
    expect(w.server.streams[0]!.headers.get('accept')).toBe('text/event-stream');
    w.server.streams[0]!.write('event: ready\ndata: {"stream":"s1"}\n\n');
    await settle();
    while (w.refreshes() < 1) await w.clock.advance(1_000);
    await settle();
    expect(w.server.postTypes).toEqual(['application/json']);
  });

  it('closed before its first request, it sends none', async () => {
    const w = await world();
    const later = authedEventSource(w.client, 'https://api.test/api/events', {
      fetch: w.server.fetch,
    });
    later.close();
    await settle();
    expect(w.server.streams).toHaveLength(1);
    expect(later.closed).toBe('closed');
  });

  it('a token that lands before the stream is ready is posted once it is', async () => {
    const w = await world();
    while (w.refreshes() < 1) await w.clock.advance(1_000);
    await settle();
    expect(w.server.posts).toEqual([]);
    w.server.streams[0]!.write('event: ready\ndata: {"stream":"s1"}\n\n');
    await settle();
    expect(w.server.posts).toEqual([{ token: 't2', stream: 's1' }]);
    // Ready again (a later stream of the same session) with nothing new: nothing posted.
    w.server.streams[0]!.write('event: ready\ndata: {"stream":"s1"}\n\n');
    await settle();
    expect(w.server.posts).toHaveLength(1);
  });

  it("in BFF mode, sends the profile's custom header and no token: the BFF adds it", async () => {
    const clock = fakeRuntime();
    const bff = vi.fn(() => Promise.resolve(Response.json({ user: USER, expiresIn: 600 })));
    const client = createFetchClient<AuthUser>({
      baseURL: 'https://app.test/',
      server: bffServer(),
      fetch: bff,
      runtime: clock.runtime,
      crossTab: false,
      plugins: [live()],
    });
    await client.login({ email: USER.email, password: 'pw' });
    const server = eventServer();
    const source = authedEventSource(client, 'https://app.test/api/events', {
      fetch: server.fetch,
    });
    await vi.waitFor(() => expect(server.streams).toHaveLength(1));
    const { headers } = server.streams[0]!;
    expect(headers.get('x-requested-with')).toBe('XMLHttpRequest');
    expect(headers.get('authorization')).toBeNull();
    source.close();
    client.dispose();
  });
});
