import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectInvariants, runScenario } from './scenario.js';
import { KEYS, startStack, type Stack } from './stack.js';
import { startUsers, type Users } from './users.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let stack: Stack;
let users: Users;
beforeAll(async () => {
  stack = await startStack({ stores: 'postgres+redis' });
  users = await startUsers(stack.balancer.url);
});
afterAll(async () => {
  const stopped = await users?.stop();
  await stack?.close();
  expect(stopped?.hung ?? 0).toBe(0);
});

/** Resolves once `count` more refresh requests have reached the balancer. */
async function refreshesPass(count: number) {
  const target = stack.balancer.counts.refresh + count;
  while (stack.balancer.counts.refresh < target) await sleep(10);
}

describe('process faults, three instances on Postgres + Redis', () => {
  it('an instance SIGKILLed mid-rotation (the refreshes reaching it die with it), replaced 2 s later', async () => {
    const row = await runScenario('instance killed mid-rotation', { stack, users }, async () => {
      // Users renew every 2-3 s: refreshes are in flight on every instance all the time.
      await refreshesPass(3);
      await stack.instances[1]!.kill();
      await sleep(2_000);
      await stack.replace(1);
    });
    expectInvariants(row);
  });

  it('an instance SIGKILLed mid-burst of 200 after expiry', async () => {
    const row = await runScenario('instance killed mid-burst', { stack, users }, async () => {
      const burst = users.list.slice(0, 4).map((user) => {
        user.client.expire();
        return Promise.allSettled(Array.from({ length: 50 }, () => user.client.get('/api/todos')));
      });
      await refreshesPass(1);
      await stack.instances[2]!.kill();
      await Promise.all(burst);
      await stack.replace(2);
    });
    expectInvariants(row);
  });

  it('an instance SIGSTOPped for 15 s, then SIGCONT: its requests wait, then finish', async () => {
    const row = await runScenario('instance paused 15 s', { stack, users }, async () => {
      const { child } = stack.instances[0]!;
      child.kill('SIGSTOP');
      await sleep(15_000);
      child.kill('SIGCONT');
    });
    // The requests it held were answered once it went on: nothing failed, nothing was lost.
    expectInvariants(row, { longestAnswerSeconds: 20 });
    expect(row.longestAnswerSeconds).toBeGreaterThan(10);
  });

  it('a rolling restart, one instance at a time, with a new signing key put first midway', async () => {
    const row = await runScenario(
      'rolling restart, key rotated midway',
      { stack, users },
      async () => {
        await stack.restart(0);
        await sleep(2_000);
        // Midway: the new key signs, the old one still verifies.
        await stack.restart(1, { JWT_SECRET: '', JWT_SECRETS: `${KEYS.next},${KEYS.old}` });
        await sleep(2_000);
        await stack.restart(2, { JWT_SECRET: '', JWT_SECRETS: `${KEYS.next},${KEYS.old}` });
        await sleep(2_000);
        await stack.restart(0, { JWT_SECRET: '', JWT_SECRETS: `${KEYS.next},${KEYS.old}` });
      },
    );
    expectInvariants(row);
  });
});
