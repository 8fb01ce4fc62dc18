import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectInvariants, runScenario } from './scenario.js';
import { skewedClock, startStack, type Stack } from './stack.js';
import { startUsers, type Users } from './users.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// Three instances whose clocks differ (Debian's faketime preloaded into each node process): one
// behind, one on time, one ahead. Tokens from the one behind look expired early to the others;
// tokens from the one ahead carry an iat in the future of the one behind.
let stack: Stack;
let users: Users;
beforeAll(async () => {
  stack = await startStack({ stores: 'postgres+redis', clocks: ['-3s', undefined, '+3s'] });
  users = await startUsers(stack.balancer.url);
});
afterAll(async () => {
  const stopped = await users?.stop();
  await stack?.close();
  expect(stopped?.hung ?? 0).toBe(0);
});

/** The instance's own idea of the time, from its `Date` header. */
async function clockOf(url: string): Promise<number> {
  return Date.parse((await fetch(`${url}/health`)).headers.get('date') ?? '');
}

describe('clock skew between instances, Postgres + Redis', () => {
  it('±3 s: invisible to users (no failed request)', async () => {
    const [behind, , ahead] = await Promise.all(stack.instances.map((i) => clockOf(i.url)));
    expect(ahead! - behind!).toBeGreaterThanOrEqual(5_000);
    const refreshesBefore = stack.balancer.counts.refresh;
    const began = Date.now();
    const row = await runScenario('clocks ±3 s', { stack, users }, () => sleep(20_000));
    expectInvariants(row);
    expect(row.failedDuringFault).toBe(0);
    // No refresh storm: a 3-second token renews about every 2 s (less than one refresh per user
    // per second), where a refresh per request would be 2.5 per user per second.
    const seconds = (Date.now() - began) / 1000;
    expect(stack.balancer.counts.refresh - refreshesBefore).toBeLessThan(
      users.list.length * seconds,
    );
  });

  it('±30 s: no sign-out, no refresh storm, no failed request (CLOCK_TOLERANCE is 60 s)', async () => {
    const refreshesBefore = stack.balancer.counts.refresh;
    const began = Date.now();
    const row = await runScenario('clocks ±30 s', { stack, users }, async () => {
      await stack.restart(0, skewedClock('-30s'));
      await stack.restart(2, skewedClock('+30s'));
      await sleep(20_000);
    });
    const seconds = (Date.now() - began) / 1000;
    expect(stack.balancer.counts.refresh - refreshesBefore).toBeLessThan(
      users.list.length * seconds,
    );
    const [behind, , ahead] = await Promise.all(stack.instances.map((i) => clockOf(i.url)));
    expect(ahead! - behind!).toBeGreaterThanOrEqual(59_000);
    expectInvariants(row);
    expect(row.failedDuringFault).toBe(0);
  });
});
