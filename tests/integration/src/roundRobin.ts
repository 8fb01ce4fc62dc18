import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A load balancer for tests; see `startRoundRobin`. */
export interface RoundRobin {
  url: string;
  /** Where each request went, by upstream URL, and `POST /auth/refresh` requests in total. */
  counts: { byUpstream: Map<string, number>; refresh: number };
  /** Sends every request to `upstream` until `all()` (to pin a step of a test to one instance). */
  only(upstream: string): void;
  /** Back to round robin over every upstream. */
  all(): void;
  /** Calls `listener` each time an answer has been sent back to a client. */
  onAnswer(listener: () => void): void;
  close(): Promise<void>;
}

/**
 * The smallest round-robin HTTP proxy: each request goes to the next upstream in turn, with no
 * health checks (as a plain load balancer). When an upstream cannot be reached or dies mid-answer,
 * the client's connection is dropped: the client sees a network error, as behind a real one.
 */
export async function startRoundRobin(upstreams: string[]): Promise<RoundRobin> {
  let next = 0;
  let pinned: string | undefined;
  const counts = { byUpstream: new Map<string, number>(), refresh: 0 };
  const listeners: Array<() => void> = [];
  const server: Server = createServer((req, res) => {
    const upstream = pinned ?? upstreams[next++ % upstreams.length]!;
    counts.byUpstream.set(upstream, (counts.byUpstream.get(upstream) ?? 0) + 1);
    if (req.method === 'POST' && req.url === '/auth/refresh') counts.refresh++;
    const target = new URL(req.url ?? '/', upstream);
    const forward = request(
      target,
      { method: req.method, headers: { ...req.headers, host: target.host }, agent: false },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
        answer.on('error', () => res.destroy());
        res.on('finish', () => listeners.forEach((listener) => listener()));
      },
    );
    forward.on('error', () => res.destroy());
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    counts,
    only: (upstream) => void (pinned = upstream),
    all: () => void (pinned = undefined),
    onAnswer: (listener) => void listeners.push(listener),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
