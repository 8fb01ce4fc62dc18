import type { ApiChild } from './apiChild.js';
import { CLIENTS, createClient, type ClientName } from './clients.js';
import { round, withPeakRss } from './util.js';

export interface BurstResult {
  client: ClientName;
  n: number;
  refreshCalls: number;
  succeeded: number;
  wallMs: number;
  peakRssMb: number;
}

/**
 * One burst: log in, expire the access token on the server, then send `n` concurrent requests
 * and count, on the server, the refresh calls they caused.
 */
export async function burst(api: ApiChild, name: ClientName, n: number): Promise<BurstResult> {
  const client = createClient(name, api.burst, { frozen: true });
  try {
    await client.login();
    // Expire the token on the server (exp is rounded up to the next second).
    await api.advance(api.burstTtl * 1000 + 1100);
    globalThis.gc?.();
    await api.reset();
    const started = performance.now();
    const { result, peakRssMb } = await withPeakRss(() =>
      Promise.allSettled(Array.from({ length: n }, () => client.get('/api/todos'))),
    );
    const wallMs = round(performance.now() - started, 1);
    const { burst: counts } = await api.counts();
    return {
      client: name,
      n,
      refreshCalls: counts.refresh,
      succeeded: result.filter((r) => r.status === 'fulfilled').length,
      wallMs,
      peakRssMb,
    };
  } finally {
    client.dispose();
  }
}

export async function burstBenchmark(
  api: ApiChild,
  sizes = [1, 10, 100, 1000],
): Promise<BurstResult[]> {
  const results: BurstResult[] = [];
  for (const n of sizes) for (const name of CLIENTS) results.push(await burst(api, name, n));
  return results;
}

/** Tokenlane alone, growing N: wall time and memory should grow linearly, refreshes stay 1. */
export async function growthBenchmark(api: ApiChild, sizes = [10, 100, 1000, 10000]) {
  const results = [];
  for (const n of sizes) {
    const { wallMs, peakRssMb, refreshCalls, succeeded } = await burst(api, 'tokenlane', n);
    results.push({
      n,
      wallMs,
      peakRssMb,
      refreshCalls,
      succeeded,
      usPerRequest: round((wallMs * 1000) / n, 1),
    });
  }
  return results;
}
