import { createAuthClient } from '@tokenlane/react-auth/client';
import axios, { type AxiosAdapter, type AxiosInstance } from 'axios';
import { Agent } from 'node:http';
import type { ApiChild } from './apiChild.js';
import { round } from './util.js';

const ROUNDS = 8;
const PER_ROUND = 2000;
const CONCURRENCY = 32;

async function round_(http: AxiosInstance): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next++ < PER_ROUND) await http.get('/data');
    }),
  );
  return performance.now() - started;
}

/** An adapter that answers at once: what is left is the client's own CPU per request. */
const instant: AxiosAdapter = (config) =>
  Promise.resolve({
    data: { ok: true },
    status: 200,
    statusText: 'OK',
    headers: {},
    config,
    request: {},
  });

/** Microseconds per request through `http` with the instant adapter. */
async function perRequestUs(http: AxiosInstance, n = 20_000) {
  const started = performance.now();
  for (let i = 0; i < n; i++) await http.get('/data', { adapter: instant });
  return ((performance.now() - started) / n) * 1000;
}

/**
 * Requests per second through Tokenlane's authed instance versus a bare axios instance, against
 * the same loopback endpoint, in alternating rounds in one process. `ratio` = Tokenlane's time /
 * bare time (1.05 = 5 % slower).
 */
export async function overheadBenchmark(api: ApiChild) {
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
  await round_(bare); // warm-up
  await round_(auth.axios);
  let bareMs = 0;
  let tokenlaneMs = 0;
  for (let i = 0; i < ROUNDS; i++) {
    if (i % 2 === 0) {
      bareMs += await round_(bare);
      tokenlaneMs += await round_(auth.axios);
    } else {
      tokenlaneMs += await round_(auth.axios);
      bareMs += await round_(bare);
    }
  }
  // The same comparison without the network, where the machine's noise cannot hide the cost.
  let bareUs = 0;
  let tokenlaneUs = 0;
  for (let i = 0; i < 6; i++) {
    const b = await perRequestUs(bare);
    const t = await perRequestUs(auth.axios);
    if (i >= 1) {
      bareUs += b / 5;
      tokenlaneUs += t / 5;
    }
  }
  auth.dispose();
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
