import { createAuthClient } from '@tokenlane/react-auth/client';
import axios, { type AxiosInstance } from 'axios';
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

/**
 * Requests per second through Tokenlane's authed instance versus a bare axios instance, against
 * the same loopback endpoint, in alternating rounds in one process. `ratio` = Tokenlane's time /
 * bare time (1.05 = 5 % slower).
 */
export async function overheadBenchmark(api: ApiChild) {
  const bare = axios.create({
    baseURL: api.echo,
    httpAgent: new Agent({ keepAlive: true, maxSockets: CONCURRENCY }),
  });
  const auth = createAuthClient({
    baseURL: api.echo,
    crossTab: false,
    http: { httpAgent: new Agent({ keepAlive: true, maxSockets: CONCURRENCY }) },
  });
  await auth.login({ email: 'u@x', password: 'p' });
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
  auth.dispose();
  const total = ROUNDS * PER_ROUND;
  return {
    ratio: round(tokenlaneMs / bareMs, 3),
    bareRps: Math.round(total / (bareMs / 1000)),
    tokenlaneRps: Math.round(total / (tokenlaneMs / 1000)),
    requestsPerVariant: total,
  };
}
