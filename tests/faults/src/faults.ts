import { sleep } from '@tokenlane/test-servers/cookieJar';
import type { Stack } from './stack.js';

export { sleep };

/** Resolves once `count` more refresh requests have reached the balancer. */
export async function refreshesPass(stack: Stack, count: number): Promise<void> {
  const target = stack.balancer.counts.refresh + count;
  while (stack.balancer.counts.refresh < target) await sleep(10);
}

/** The faults the scenarios inject, each over once it resolves. */
export const faults = {
  /** Connections to Postgres refused (and open ones reset) for `ms`. */
  async postgresUnreachable(stack: Stack, ms: number) {
    await stack.postgresProxy!.refuse();
    await sleep(ms);
    await stack.postgresProxy!.heal();
  },
  /** The Postgres server stopped (fast shutdown) for `ms`, then started again with its data. */
  async postgresStopped(stack: Stack, ms: number) {
    await stack.postgres!.stop();
    await sleep(ms);
    await stack.postgres!.start();
  },
  /** The Redis server stopped for `ms`, then started again (its append-only file keeps the data). */
  async redisStopped(stack: Stack, ms: number) {
    await stack.redis!.stop();
    await sleep(ms);
    await stack.redis!.start();
  },
  /** A store accepting connections and never answering for `ms`; what it held then goes on. */
  async blackholed(stack: Stack, store: 'Postgres' | 'Redis', ms: number) {
    const proxy = store === 'Postgres' ? stack.postgresProxy! : stack.redisProxy!;
    proxy.blackhole();
    await sleep(ms);
    await proxy.heal();
  },
  /** Every chunk to and from both stores delayed by `latencyMs` for `ms`. */
  async slowStores(stack: Stack, latencyMs: number, ms: number) {
    const proxies = [stack.postgresProxy, stack.redisProxy].filter((p) => p !== undefined);
    proxies.forEach((proxy) => proxy.latency(latencyMs));
    await sleep(ms);
    proxies.forEach((proxy) => proxy.latency(0));
  },
  /** Every refresh answer lost on the way back, after the instance committed, for `ms`. */
  async refreshAnswersCut(stack: Stack, ms: number) {
    stack.balancer.cutRefreshAnswers(true);
    await sleep(ms);
    stack.balancer.cutRefreshAnswers(false);
  },
  /** Instance `index` SIGKILLed while refreshes are in flight, replaced `downMs` later. */
  async killedMidRotation(stack: Stack, index: number, downMs = 2_000) {
    // Users renew every 2-3 s: refreshes are in flight on every instance all the time.
    await refreshesPass(stack, stack.instances.length);
    await stack.kill(index);
    await sleep(downMs);
    await stack.replace(index);
  },
};
