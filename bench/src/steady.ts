import type { ApiChild } from './apiChild.js';
import { CLIENTS, createClient, type ClientName } from './clients.js';
import { round, sleep } from './util.js';

export interface SteadyResult {
  client: ClientName;
  lifetimes: number;
  requests: number;
  /** 401 answers the server sent, per token lifetime. */
  failedRoundTrips: number;
  failedTotal: number;
  clientErrors: number;
}

/** Requests every 100 ms over several token lifetimes; the server counts the 401s. */
export async function steadyBenchmark(api: ApiChild, lifetimes = 3): Promise<SteadyResult[]> {
  const results: SteadyResult[] = [];
  for (const name of CLIENTS) {
    // Tokenlane as shipped here: its proactive refresh is the point.
    const client = createClient(name, api.short);
    try {
      await client.login();
      await api.reset();
      const until = Date.now() + lifetimes * api.ttl * 1000;
      let requests = 0;
      let clientErrors = 0;
      while (Date.now() < until) {
        requests++;
        await client.get('/api/todos').catch(() => clientErrors++);
        await sleep(100);
      }
      const { short } = await api.counts();
      results.push({
        client: name,
        lifetimes,
        requests,
        failedRoundTrips: round(short.unauthorized / lifetimes, 2),
        failedTotal: short.unauthorized,
        clientErrors,
      });
    } finally {
      client.dispose();
    }
  }
  return results;
}
