import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectInvariants, runScenario } from './scenario.js';
import { startStack, type Stack } from './stack.js';
import { startUsers, type Users } from './users.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// Refresh answers cut after the commit: each instance rotates the family (or hands back the
// unused child), the balancer receives the whole answer and resets the client's connection.
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

describe('refresh answers lost after the commit, three instances on Postgres + Redis', () => {
  it.each([10, 60])('for %i s: every retry, however late, renews the session', async (seconds) => {
    const cutBefore = stack.balancer.counts.cut;
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
    // Every user renewed during the cut (3-second tokens) and lost the answer.
    expect(stack.balancer.counts.cut - cutBefore).toBeGreaterThanOrEqual(users.list.length);
  });
});
