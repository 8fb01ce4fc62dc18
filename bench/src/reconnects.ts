import { createServer, connect, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { DEMO } from '@tokenlane/test-harness';
import { createFetchClient, type FetchClient } from '@tokenlane/react-auth/fetch';
import { authedWebSocket, live, type AuthedWebSocket } from '@tokenlane/react-auth/live';
import fetchCookie from 'fetch-cookie';
import { CookieJar } from 'tough-cookie';
import { WebSocket } from 'ws';
import type { ApiChild } from './apiChild.js';
import { round } from './util.js';

export interface ReconnectResult {
  clients: number;
  /** Seconds from the cut to the first and the last client authenticated again. */
  firstS: number;
  medianS: number;
  lastS: number;
  /** The most clients that came back within one second. */
  peakPerSecond: number;
  /** Connections the server refused (4401) after the cut: a stale token sent. */
  refusedAfterCut: number;
  /** Upstream refreshes after the cut (one per client's session). */
  refreshes: number;
  /** Clients not back when the run stopped (after 60 s). */
  notBack: number;
}

/** A TCP pass-through for the WebSockets, which can cut every connection at once. */
async function cuttableLink(target: string) {
  const { hostname, port } = new URL(target);
  const pairs = new Set<[Socket, Socket]>();
  const server = createServer((socket) => {
    const out = connect(Number(port), hostname);
    const pair: [Socket, Socket] = [socket, out];
    pairs.add(pair);
    socket.pipe(out).pipe(socket);
    const drop = () => {
      pairs.delete(pair);
      socket.destroy();
      out.destroy();
    };
    socket.on('error', drop).on('close', drop);
    out.on('error', drop).on('close', drop);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `ws://127.0.0.1:${(server.address() as AddressInfo).port}`,
    cutAll: () => [...pairs].forEach(([a, b]) => (a.destroy(), b.destroy())),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * 1,000 clients, each on its own session with one live WebSocket, lose their connections at
 * once with their access tokens expired (the API's clock and theirs moved past the expiry), as
 * after a network outage. Each waits its random reconnect delay, gets a fresh token from its
 * session's one refresh, and connects again: when they come back, and how many the server
 * refused (a client that sent its stale token would be refused, then try again).
 */
export async function reconnectBenchmark(api: ApiChild, clients = 1_000): Promise<ReconnectResult> {
  const link = await cuttableLink(api.burst);
  let offset = 0;
  const runtime = { now: () => Date.now() + offset };
  let cutAt = Infinity;
  const backAt: number[] = [];
  let refusedAfterCut = 0;
  const sessions: Array<{ client: FetchClient; socket: AuthedWebSocket }> = [];
  try {
    // Two sign-ins at a time: the API takes only a few password checks at once.
    for (let i = 0; i < clients; i += 2) {
      const batch = Array.from({ length: Math.min(2, clients - i) }, async () => {
        const client = createFetchClient({
          baseURL: api.burst,
          crossTab: false,
          runtime,
          fetch: fetchCookie(fetch, new CookieJar()),
          plugins: [live()],
        });
        await client.login({ email: DEMO.email, password: DEMO.password });
        let authed = 0;
        const ready = new Promise<void>((resolve) => {
          const socket = authedWebSocket(client, `${link.url}/api/live`, {
            connect: (url) => {
              const ws = new WebSocket(url);
              ws.on('close', (code) => code === 4401 && cutAt < Infinity && refusedAfterCut++);
              return ws;
            },
            onMessage: (text) => {
              if (!text.includes('"authed"')) return;
              if (++authed === 1) resolve();
              else if (cutAt < Infinity) backAt.push(performance.now() - cutAt);
            },
          });
          sessions.push({ client, socket });
        });
        await ready;
      });
      await Promise.all(batch);
    }
    // Every token expires at once, on the server and in the clients; then the network drops.
    await api.advance(61_000);
    offset += 61_000;
    await api.reset();
    cutAt = performance.now();
    link.cutAll();
    for (let waited = 0; waited < 60_000 && backAt.length < clients; waited += 250) {
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    const { burst: counts } = await api.counts();
    const sorted = [...backAt].sort((a, b) => a - b);
    const perSecond = new Map<number, number>();
    for (const ms of sorted)
      perSecond.set(Math.floor(ms / 1000), (perSecond.get(Math.floor(ms / 1000)) ?? 0) + 1);
    return {
      clients,
      firstS: round((sorted[0] ?? NaN) / 1000, 2),
      medianS: round((sorted[Math.floor(sorted.length / 2)] ?? NaN) / 1000, 2),
      lastS: round((sorted.at(-1) ?? NaN) / 1000, 2),
      peakPerSecond: Math.max(0, ...perSecond.values()),
      refusedAfterCut,
      refreshes: counts.refresh,
      notBack: clients - backAt.length,
    };
  } finally {
    for (const { client, socket } of sessions) {
      socket.close();
      client.dispose();
    }
    await link.close();
  }
}
