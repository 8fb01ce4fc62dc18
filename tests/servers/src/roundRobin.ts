import { createServer, request, type Server } from 'node:http';
import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';

/** What the balancer saw. */
export interface BalancerCounts {
  /** Requests sent to each upstream, by URL. */
  byUpstream: Map<string, number>;
  /** `POST /auth/refresh` requests in total. */
  refresh: number;
  /** Answers passed back, by status. */
  byStatus: Map<number, number>;
  /** 503 answers without `Retry-After` (a 503 must say when to come back). */
  unavailableWithoutRetryAfter: number;
  /** Refresh answers cut on the way (see `cutRefreshAnswers`). */
  cut: number;
  /** The longest time an instance took to answer (headers in), ms; a test may reset it. */
  longestAnswerMs: number;
}

/** A load balancer for tests; see `startRoundRobin`. */
export interface RoundRobin {
  url: string;
  counts: BalancerCounts;
  /** Sends every request to `upstream` until `all()` (to pin a step of a test to one instance). */
  only(upstream: string): void;
  /** Back to round robin over every upstream. */
  all(): void;
  /** Replaces the upstreams (a rolling deploy takes an instance out, then adds its successor). */
  setUpstreams(upstreams: string[]): void;
  /**
   * While on, every `POST /auth/refresh` is served by an instance to the end (the rotation is
   * committed, the whole answer received) and then the client's connection is reset instead of
   * the answer passed on: an answer lost on the way back.
   */
  cutRefreshAnswers(on: boolean): void;
  /** Calls `listener` each time an answer has been sent back to a client. */
  onAnswer(listener: () => void): void;
  close(): Promise<void>;
}

/**
 * The smallest round-robin HTTP proxy: each request goes to the next upstream in turn, with no
 * health checks (as a plain load balancer). When an upstream cannot be reached or dies mid-answer,
 * the client's connection is dropped: the client sees a network error, as behind a real one.
 */
export async function startRoundRobin(
  initial: string[],
  options: {
    /**
     * Passes the client's `Host` on, as a reverse proxy in front of an app does (frameworks
     * check a form post's `Origin` against it); by default each instance sees its own host.
     */
    preserveHost?: boolean;
  } = {},
): Promise<RoundRobin> {
  let upstreams = [...initial];
  let next = 0;
  let pinned: string | undefined;
  let cutting = false;
  const counts: BalancerCounts = {
    byUpstream: new Map(),
    refresh: 0,
    byStatus: new Map(),
    unavailableWithoutRetryAfter: 0,
    cut: 0,
    longestAnswerMs: 0,
  };
  const listeners: Array<() => void> = [];
  const server: Server = createServer((req, res) => {
    const upstream = pinned ?? upstreams[next++ % upstreams.length]!;
    counts.byUpstream.set(upstream, (counts.byUpstream.get(upstream) ?? 0) + 1);
    const isRefresh = req.method === 'POST' && req.url === '/auth/refresh';
    if (isRefresh) counts.refresh++;
    const target = new URL(req.url ?? '/', upstream);
    const sent = Date.now();
    const forward = request(
      target,
      {
        method: req.method,
        headers: { ...req.headers, host: options.preserveHost ? req.headers.host : target.host },
        agent: false,
      },
      (answer) => {
        const status = answer.statusCode ?? 502;
        counts.longestAnswerMs = Math.max(counts.longestAnswerMs, Date.now() - sent);
        if (isRefresh && cutting) {
          // Read the whole answer (the server is done), then lose it.
          answer.resume();
          answer.on('end', () => {
            counts.cut++;
            req.socket.resetAndDestroy();
          });
          return;
        }
        counts.byStatus.set(status, (counts.byStatus.get(status) ?? 0) + 1);
        if (status === 503 && answer.headers['retry-after'] === undefined) {
          counts.unavailableWithoutRetryAfter++;
        }
        res.writeHead(status, answer.headers);
        // Headers out at once, as a real balancer: an event stream's first event may be far off.
        res.flushHeaders();
        answer.pipe(res);
        answer.on('error', () => res.destroy());
        res.on('finish', () => listeners.forEach((listener) => listener()));
      },
    );
    forward.on('error', () => res.destroy());
    req.pipe(forward);
  });
  // WebSocket upgrades: the raw bytes both ways, to the next upstream in turn.
  server.on('upgrade', (req, socket, head) => {
    const upstream = new URL(pinned ?? upstreams[next++ % upstreams.length]!);
    const out = connect(Number(upstream.port), upstream.hostname, () => {
      const lines = [`${req.method} ${req.url} HTTP/1.1`];
      for (let i = 0; i < req.rawHeaders.length; i += 2) {
        lines.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`);
      }
      out.write(`${lines.join('\r\n')}\r\n\r\n`);
      if (head.length > 0) out.write(head);
      out.pipe(socket).pipe(out);
    });
    out.on('error', () => socket.destroy());
    socket.on('error', () => out.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    counts,
    only: (upstream) => void (pinned = upstream),
    all: () => void (pinned = undefined),
    setUpstreams: (list) => void (upstreams = [...list]),
    cutRefreshAnswers: (on) => void (cutting = on),
    onAnswer: (listener) => void listeners.push(listener),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
