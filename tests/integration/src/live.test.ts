import fetchCookie from 'fetch-cookie';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { WebSocket } from 'ws';
import { createFetchClient } from '@tokenlane/react-auth/fetch';
import {
  authedEventSource,
  authedWebSocket,
  live,
  type LiveCloseReason,
} from '@tokenlane/react-auth/live';
import { DEMO, freePort, startTestApi } from '@tokenlane/test-harness';
import { fakeRuntime } from '@tokenlane/test-kit/fakes';
import { graphqlLive } from './recipes/graphqlLive.js';
import { socketIoLive } from './recipes/socketIoLive.js';

// Issue 35: one HTTP client and one WebSocket on one session, against the real API's /api/live.
// The client's clock is virtual and the API's moves with it (plus the real time spent), so ten
// rotations of 60-second tokens take a few seconds, and nothing waits on this machine's speed.

const clock = fakeRuntime(Date.now());
/** How long a message may take to cross loopback on a loaded machine. */
const ARRIVED = { timeout: 10_000 };
const t0 = Date.now();
let api: Awaited<ReturnType<typeof startTestApi>>;
beforeAll(async () => {
  api = await startTestApi({
    accessTokenTtlSeconds: 60,
    now: () => clock.runtime.now() + (Date.now() - t0),
  });
});
afterAll(() => api?.close());

/** A fetch client on the virtual clock with the live() plug-in, signed in as the demo user. */
async function signedIn() {
  const liveUpdates = live();
  const client = createFetchClient({
    baseURL: api.url,
    crossTab: false,
    runtime: clock.runtime,
    fetch: fetchCookie(fetch),
    plugins: [liveUpdates],
  });
  await client.login({ email: DEMO.email, password: DEMO.password });
  return Object.assign(client, { liveUpdates });
}

describe('an HTTP client, a WebSocket, an event stream, graphql-ws and Socket.IO on one session, against the API', () => {
  it('over 10 rotations: 1 refresh per rotation for all of them, 0 reconnects, every change delivered; after a forced reconnect the stream loses nothing; a logout closes each with its reason', async () => {
    const client = await signedIn();
    const messages: Array<{ type: string; change?: string }> = [];
    const closes: LiveCloseReason[] = [];
    const socket = authedWebSocket(client, `${api.url.replace('http', 'ws')}/api/live`, {
      connect: (url) => new WebSocket(url),
      onMessage: (text) => messages.push(JSON.parse(text) as { type: string }),
      onClose: (reason) => closes.push(reason),
    });
    // The stream's network, which the test can cut (a lost connection, not a server's answer).
    let cut = () => {};
    const cuttable: typeof fetch = async (input, init) => {
      const answer = await fetch(input, init);
      if (init?.method === 'POST' || !answer.body) return answer;
      const line = new AbortController();
      const { readable, writable } = new TransformStream<Uint8Array, Uint8Array>();
      void answer.body.pipeTo(writable, { signal: line.signal }).catch(() => undefined);
      cut = () => line.abort();
      return new Response(readable, answer);
    };
    const streamed: number[] = [];
    const events = authedEventSource(client, `${api.url}/api/events`, {
      fetch: cuttable,
      onEvent: ({ event, id }) => event === 'todo' && streamed.push(Number(id)),
      onClose: (reason) => closes.push(reason),
    });
    // The recipes of the live guide, on the same session.
    const graphql = graphqlLive(
      client.liveUpdates,
      `${api.url.replace('http', 'ws')}/api/graphql`,
      {
        webSocketImpl: WebSocket,
        onClose: (reason) => closes.push(reason),
      },
    );
    let graphqlConnects = 0;
    graphql.on('connected', () => graphqlConnects++);
    let graphqlAuthed = 0;
    graphql.on('connected', () => graphqlAuthed++);
    graphql.on('pong', () => graphqlAuthed++);
    const subscribed: number[] = [];
    const graphqlErrors: unknown[] = [];
    graphql.subscribe<{ todoChanged: { id: number } }>(
      { query: 'subscription { todoChanged { id change todoId title } }' },
      {
        next: ({ data }) => data && subscribed.push(data.todoChanged.id),
        error: (error) => graphqlErrors.push(error),
        complete: () => {},
      },
    );
    const io = socketIoLive(client.liveUpdates, api.url, {
      onClose: (reason) => closes.push(reason),
    });
    let ioConnects = 0;
    io.on('connect', () => ioConnects++);
    let ioAuthed = 0;
    io.on('authed', () => ioAuthed++);
    const emitted: number[] = [];
    io.on('todo', (change: { id: number }) => emitted.push(change.id));
    const authed = () => messages.filter((message) => message.type === 'authed').length;
    await vi.waitFor(() => expect(authed()).toBe(1), ARRIVED);
    await vi.waitFor(() => expect([graphqlConnects, ioConnects]).toEqual([1, 1]), ARRIVED);
    await vi.waitFor(() => expect(api.counts.api).toBeGreaterThanOrEqual(1), ARRIVED);

    api.reset();
    for (let rotation = 1; rotation <= 10; rotation++) {
      // Until the proactive refresh comes due; the HTTP side asks for the token meanwhile.
      for (let step = 0; step < 20 && api.counts.refresh < rotation; step++) {
        await clock.advance(5_000);
        await client.getAccessToken();
      }
      const answer = await client.fetch('/api/todos', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ title: `after rotation ${rotation}` }),
      });
      expect(answer.status).toBe(201);
      // Each transport took the new token in band.
      await vi.waitFor(
        () => expect([authed(), graphqlAuthed, ioAuthed]).toEqual(Array(3).fill(rotation + 1)),
        ARRIVED,
      );
    }
    await vi.waitFor(
      () => expect(messages.filter((m) => m.type === 'todo')).toHaveLength(10),
      ARRIVED,
    );
    expect({ refresh: api.counts.refresh, unauthorized: api.counts.unauthorized }).toEqual({
      refresh: 10,
      unauthorized: 0,
    });
    expect(socket.reconnects).toBe(0);
    await vi.waitFor(() => expect(streamed).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]), ARRIVED);
    expect(events.reconnects).toBe(0);
    const tenChanges = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    await vi.waitFor(
      () => expect([subscribed, emitted]).toEqual([tenChanges, tenChanges]),
      ARRIVED,
    );
    expect([graphqlConnects, ioConnects]).toEqual([1, 1]);
    expect(graphqlErrors).toEqual([]);

    // The stream's connection is lost; a change lands before it is back.
    cut();
    const missed = await client.fetch('/api/todos', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ title: 'while the stream was away' }),
    });
    expect(missed.status).toBe(201);
    for (let step = 0; step < 8 && events.reconnects === 0; step++) await clock.advance(5_000);
    await vi.waitFor(() => expect(streamed).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]), ARRIVED);
    expect(events.lastEventId).toBe('11');

    await client.logout();
    expect(closes).toEqual(['user', 'user', 'user', 'user']);
    expect(io.connected).toBe(false);
    expect(socket.closed).toBe('user');
    expect(events.closed).toBe('user');
    client.dispose();
  });

  it('a WebSocket whose server cannot be reached keeps trying, spread out, and never throws', async () => {
    const client = await signedIn();
    const closed = `ws://127.0.0.1:${await freePort()}/api/live`;
    let attempts = 0;
    let failed = 0;
    const socket = authedWebSocket(client, closed, {
      connect: (url) => {
        attempts++;
        const ws = new WebSocket(url);
        ws.on('close', () => failed++);
        return ws;
      },
    });
    for (let round = 0; round < 10 && attempts < 3; round++) {
      // Each attempt's refusal arrives (an error, then a close), then the wait before the next.
      await vi.waitFor(() => expect(failed).toBe(attempts), ARRIVED);
      await clock.advance(40_000);
    }
    expect(attempts).toBeGreaterThanOrEqual(3);
    expect(socket.reconnects).toBeGreaterThanOrEqual(2);
    expect(socket.closed).toBeNull();
    socket.close();
    expect(socket.closed).toBe('closed');
    client.dispose();
  });
});
