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
async function perRequestUs(send: Send, n = 20_000) {
  const started = performance.now();
  for (let i = 0; i < n; i++) await send();
  return ((performance.now() - started) / n) * 1000;
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
  let bareUs = 0;
  let tokenlaneUs = 0;
  for (let i = 0; i < 6; i++) {
    const b = await perRequestUs(v.bareInstant);
    const t = await perRequestUs(v.tokenlaneInstant);
    if (i >= 1) {
      bareUs += b / 5;
      tokenlaneUs += t / 5;
    }
  }
  const total = ROUNDS * PER_ROUND;
  return {
    ratio: round(tokenlaneMs / bareMs, 3),
    clientCpuUsPerRequest: {
      bare: round(bareUs, 2),
      tokenlane: round(tokenlaneUs, 2),
      extra: round(tokenlaneUs - bareUs, 2),
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

/** `client.fetch` versus Node's bare `fetch` with the same fixed Bearer. */
async function fetchOverhead(api: ApiChild) {
  let instant = false;
  const auth = createFetchClient({
    baseURL: api.echo,
    crossTab: false,
    fetch: (input, init) => (instant ? instantFetch(input, init) : fetch(input, init)),
  });
  await auth.login({ email: 'u@x', password: 'p' });
  const headers = { Authorization: `Bearer ${await auth.getAccessToken()}` };
  const url = `${api.echo}/data`;
  const read = (response: Response) => response.json();
  const bare = (f: typeof fetch) => () => f(url, { headers }).then(read);
  const tokenlane = () => auth.fetch('/data').then(read);
  try {
    return await compare({
      bare: bare(fetch),
      tokenlane,
      bareInstant: bare(instantFetch),
      tokenlaneInstant: () => {
        instant = true;
        return tokenlane().finally(() => (instant = false));
      },
    });
  } finally {
    auth.dispose();
  }
}

/** Requests per second and client CPU per request: Tokenlane over axios and over fetch. */
export async function overheadBenchmark(api: ApiChild) {
  return { axios: await axiosOverhead(api), fetch: await fetchOverhead(api) };
}
