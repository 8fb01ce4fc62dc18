import { createAuthClient } from '@tokenlane/react-auth/client';
import { createFetchClient } from '@tokenlane/react-auth/fetch';
import axios, { type AxiosAdapter } from 'axios';
import { Agent } from 'node:http';
import type { ApiChild } from './apiChild.js';
import { round } from './util.js';

const ROUNDS = 8;
const PER_ROUND = 2000;
const CONCURRENCY = 32;

/** One request; resolves once its answer is read. */
type Send = () => Promise<unknown>;

async function timedRound(send: Send): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next++ < PER_ROUND) await send();
    }),
  );
  return performance.now() - started;
}

/** Microseconds per request, one at a time. */
async function perRequestUs(send: Send, n: number) {
  const started = performance.now();
  for (let i = 0; i < n; i++) await send();
  return ((performance.now() - started) / n) * 1000;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

/**
 * Client CPU per request, bare and Tokenlane: 40 short blocks of each, alternating (which one goes
 * first alternates too), and the median block of each. A 2-core machine's noise (another process,
 * a GC landing in one block) moves single blocks, not the median.
 */
async function cpuUsPerRequest(bare: Send, tokenlane: Send) {
  const blocks = { bare: [] as number[], tokenlane: [] as number[] };
  await perRequestUs(bare, 5_000); // warm-up
  await perRequestUs(tokenlane, 5_000);
  for (let i = 0; i < 40; i++) {
    const order = i % 2 === 0 ? (['bare', 'tokenlane'] as const) : (['tokenlane', 'bare'] as const);
    for (const which of order) {
      blocks[which].push(await perRequestUs(which === 'bare' ? bare : tokenlane, 2_000));
    }
  }
  return { bare: median(blocks.bare), tokenlane: median(blocks.tokenlane) };
}

interface Variants {
  /** Over loopback. */
  bare: Send;
  tokenlane: Send;
  /** Answered at once, without the network: what is left is the client's own CPU. */
  bareInstant: Send;
  tokenlaneInstant: Send;
}

/**
 * Bare versus Tokenlane in alternating rounds in one process. `ratio` = Tokenlane's time / bare
 * time (1.05 = 5 % slower).
 */
async function compare(v: Variants) {
  await timedRound(v.bare); // warm-up
  await timedRound(v.tokenlane);
  let bareMs = 0;
  let tokenlaneMs = 0;
  for (let i = 0; i < ROUNDS; i++) {
    if (i % 2 === 0) {
      bareMs += await timedRound(v.bare);
      tokenlaneMs += await timedRound(v.tokenlane);
    } else {
      tokenlaneMs += await timedRound(v.tokenlane);
      bareMs += await timedRound(v.bare);
    }
  }
  // The same comparison without the network, where the machine's noise cannot hide the cost.
  const cpu = await cpuUsPerRequest(v.bareInstant, v.tokenlaneInstant);
  const total = ROUNDS * PER_ROUND;
  return {
    ratio: round(tokenlaneMs / bareMs, 3),
    clientCpuUsPerRequest: {
      bare: round(cpu.bare, 2),
      tokenlane: round(cpu.tokenlane, 2),
      extra: round(cpu.tokenlane - cpu.bare, 2),
      ratio: round(cpu.tokenlane / cpu.bare, 3),
    },
    bareRps: Math.round(total / (bareMs / 1000)),
    tokenlaneRps: Math.round(total / (tokenlaneMs / 1000)),
    requestsPerVariant: total,
  };
}

/** An axios adapter that answers at once. */
const instantAdapter: AxiosAdapter = (config) =>
  Promise.resolve({
    data: { ok: true },
    status: 200,
    statusText: 'OK',
    headers: {},
    config,
    request: {},
  });

/** A `fetch` that answers at once. */
const instantFetch: typeof fetch = () =>
  Promise.resolve(new Response('{"ok":true}', { headers: { 'Content-Type': 'application/json' } }));

/** Tokenlane's authed axios instance versus a bare axios instance with the same fixed Bearer. */
async function axiosOverhead(api: ApiChild) {
  const auth = createAuthClient({
    baseURL: api.echo,
    crossTab: false,
    http: { httpAgent: new Agent({ keepAlive: true, maxSockets: CONCURRENCY }) },
  });
  await auth.login({ email: 'u@x', password: 'p' });
  // The bare instance sends the same Bearer header, fixed: the difference is Tokenlane's work.
  const bare = axios.create({
    baseURL: api.echo,
    headers: { Authorization: `Bearer ${await auth.getAccessToken()}` },
    httpAgent: new Agent({ keepAlive: true, maxSockets: CONCURRENCY }),
  });
  try {
    return await compare({
      bare: () => bare.get('/data'),
      tokenlane: () => auth.axios.get('/data'),
      bareInstant: () => bare.get('/data', { adapter: instantAdapter }),
      tokenlaneInstant: () => auth.axios.get('/data', { adapter: instantAdapter }),
    });
  } finally {
    auth.dispose();
  }
}

/**
 * `client.fetch` versus Node's bare `fetch` with the same fixed Bearer. Without the network, a
 * second client of the same session kind sits on the instant `fetch` (as the bare side does), so
 * that nothing but the adapter differs.
 */
async function fetchOverhead(api: ApiChild) {
  const signedIn = async (underlying: typeof fetch) => {
    const auth = createFetchClient({ baseURL: api.echo, crossTab: false, fetch: underlying });
    await auth.login({ email: 'u@x', password: 'p' });
    return auth;
  };
  const auth = await signedIn(fetch);
  // The instant fetch answers the login too, with the echo server's token.
  const token = (await auth.getAccessToken())!;
  const instant = await signedIn((input, init) =>
    (input instanceof Request ? input.url : input.toString()).endsWith('/auth/login')
      ? Promise.resolve(
          Response.json({
            accessToken: token,
            tokenType: 'Bearer',
            expiresIn: 3600,
            user: { id: 'u' },
          }),
        )
      : instantFetch(input, init),
  );
  const headers = { Authorization: `Bearer ${token}` };
  const url = `${api.echo}/data`;
  const read = (response: Response) => response.json();
  const bare = (f: typeof fetch) => () => f(url, { headers }).then(read);
  try {
    return await compare({
      bare: bare(fetch),
      tokenlane: () => auth.fetch('/data').then(read),
      bareInstant: bare(instantFetch),
      tokenlaneInstant: () => instant.fetch('/data').then(read),
    });
  } finally {
    auth.dispose();
    instant.dispose();
  }
}

/** Requests per second and client CPU per request: Tokenlane over axios and over fetch. */
export async function overheadBenchmark(api: ApiChild) {
  return { axios: await axiosOverhead(api), fetch: await fetchOverhead(api) };
}
