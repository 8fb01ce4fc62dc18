import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectInvariants, runScenario } from './scenario.js';
import { startStack, type Stack } from './stack.js';
import { startUsers, type Users } from './users.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// Three instances on Postgres + Redis, 20 users (10 axios, 10 fetch) in steady use through every
// scenario of this file, in turn: a session that survives one fault must survive the next.
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

describe('store outages, three instances on Postgres + Redis', () => {
  it('Postgres unreachable for 2 s', async () => {
    const row = await runScenario('Postgres unreachable 2 s', { stack, users }, async () => {
      await stack.postgresProxy!.refuse();
      await sleep(2_000);
      await stack.postgresProxy!.heal();
    });
    expectInvariants(row);
  });

  it('Postgres stopped for 30 s (the rotation in Redis commits, the user read fails: the answer is lost, and recovered)', async () => {
    const row = await runScenario('Postgres stopped 30 s', { stack, users }, async () => {
      await stack.postgres!.stop();
      await sleep(30_000);
      await stack.postgres!.start();
    });
    expectInvariants(row);
    expect(row.failedDuringFault).toBeGreaterThan(0);
  });

  it('Redis stopped for 30 s and started again: logins, refreshes and the limiters work on every instance, no restart', async () => {
    const row = await runScenario('Redis stopped 30 s', { stack, users }, async () => {
      await stack.redis!.stop();
      await sleep(30_000);
      await stack.redis!.start();
    });
    expectInvariants(row);
    // Redis lost its script cache: the limiters reload their script, on every instance.
    for (const instance of stack.instances) {
      const login = await fetch(`${instance.url}/auth/login`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-Requested-With': 'fetch' },
        body: JSON.stringify({
          email: 'demo@tokenlane.dev',
          password: 'correct-horse-battery-staple',
        }),
      });
      expect(login.status).toBe(200);
      const wrong = await fetch(`${instance.url}/auth/login`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-Requested-With': 'fetch' },
        body: JSON.stringify({ email: 'admin@tokenlane.dev', password: 'not-the-password' }),
      });
      expect(wrong.status).toBe(401);
    }
  });

  it.each(['Postgres', 'Redis'] as const)(
    '%s black-holed for 30 s: answers 503 within REQUEST_TIMEOUT, the pools recover by themselves',
    async (store) => {
      const proxy = store === 'Postgres' ? stack.postgresProxy! : stack.redisProxy!;
      const row = await runScenario(`${store} black-holed 30 s`, { stack, users }, async () => {
        proxy.blackhole();
        await sleep(30_000);
        await proxy.heal();
      });
      // Every answer within REQUEST_TIMEOUT (15 s): the stores' own timeouts (2 s to connect, 5 s
      // a query) end each request with a 503.
      expectInvariants(row, { longestAnswerSeconds: 15 });
      expect(row.failedDuringFault).toBeGreaterThan(0);
    },
  );
});
