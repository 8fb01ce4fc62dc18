import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectInvariants, runScenario } from './scenario.js';
import { startStack, type Stack } from './stack.js';
import { startUsers, type Users } from './users.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// Three instances on Postgres alone: families, users and the limiters' counters all in one store.
let stack: Stack;
let users: Users;
beforeAll(async () => {
  stack = await startStack({ stores: 'postgres' });
  users = await startUsers(stack.balancer.url);
});
afterAll(async () => {
  const stopped = await users?.stop();
  await stack?.close();
  expect(stopped?.hung ?? 0).toBe(0);
});

describe('three instances on Postgres alone', () => {
  it('Postgres unreachable for 2 s', async () => {
    const row = await runScenario('Postgres unreachable 2 s', { stack, users }, async () => {
      await stack.postgresProxy!.refuse();
      await sleep(2_000);
      await stack.postgresProxy!.heal();
    });
    expectInvariants(row);
  });

  it('Postgres stopped for 30 s', async () => {
    const row = await runScenario('Postgres stopped 30 s', { stack, users }, async () => {
      await stack.postgres!.stop();
      await sleep(30_000);
      await stack.postgres!.start();
    });
    expectInvariants(row);
    expect(row.failedDuringFault).toBeGreaterThan(0);
  });

  it('refresh answers cut after the commit for 60 s', async () => {
    const row = await runScenario('refresh answers cut 60 s', { stack, users }, async () => {
      stack.balancer.cutRefreshAnswers(true);
      await sleep(60_000);
      stack.balancer.cutRefreshAnswers(false);
    });
    expectInvariants(row);
  });
});
