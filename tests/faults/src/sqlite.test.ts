import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectInvariants, runScenario } from './scenario.js';
import { startStack, type Stack } from './stack.js';
import { startUsers, type Users } from './users.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// The default store: SQLite, here one file shared by two instances (rotations take turns through
// BEGIN IMMEDIATE across processes).
let stack: Stack;
let users: Users;
beforeAll(async () => {
  stack = await startStack({ stores: 'sqlite', instances: 2 });
  users = await startUsers(stack.balancer.url);
});
afterAll(async () => {
  const stopped = await users?.stop();
  await stack?.close();
  expect(stopped?.hung ?? 0).toBe(0);
});

describe('two instances on the SQLite default', () => {
  it.each([10, 60])('refresh answers cut after the commit for %i s', async (seconds) => {
    const row = await runScenario(
      `refresh answers cut ${seconds} s`,
      { stack, users },
      async () => {
        stack.balancer.cutRefreshAnswers(true);
        await sleep(seconds * 1000);
        stack.balancer.cutRefreshAnswers(false);
      },
    );
    expectInvariants(row);
  });

  it('an instance SIGKILLed mid-rotation, replaced 2 s later', async () => {
    const row = await runScenario('instance killed mid-rotation', { stack, users }, async () => {
      const target = stack.balancer.counts.refresh + 2;
      while (stack.balancer.counts.refresh < target) await sleep(10);
      await stack.instances[1]!.kill();
      await sleep(2_000);
      await stack.replace(1);
    });
    expectInvariants(row);
  });
});
