import { describe, expect, it } from 'vitest';
import { faults } from './faults.js';
import { expectInvariants, runScenario, sceneFor } from './scenario.js';

const scene = sceneFor({ stores: 'postgres+redis' });

describe('store outages, three instances on Postgres + Redis', () => {
  it('Postgres unreachable for 2 s', async () => {
    const row = await runScenario('Postgres unreachable 2 s', scene, () =>
      faults.postgresUnreachable(scene.stack, 2_000),
    );
    expectInvariants(row);
  });

  it('Postgres stopped for 30 s (the rotation in Redis commits, the user read fails: the answer is lost, and recovered)', async () => {
    const row = await runScenario('Postgres stopped 30 s', scene, () =>
      faults.postgresStopped(scene.stack, 30_000),
    );
    expectInvariants(row);
    expect(row.failedDuringFault).toBeGreaterThan(0);
  });

  it('Redis stopped for 30 s and started again: logins, refreshes and the limiters work on every instance, no restart', async () => {
    const row = await runScenario('Redis stopped 30 s', scene, () =>
      faults.redisStopped(scene.stack, 30_000),
    );
    expectInvariants(row);
    // Redis lost its script cache: the limiters reload their script, on every instance.
    const login = (url: string, email: string, password: string) =>
      fetch(`${url}/auth/login`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-Requested-With': 'fetch' },
        body: JSON.stringify({ email, password }),
      });
    for (const { url } of scene.stack.instances) {
      expect((await login(url, 'demo@tokenlane.dev', 'correct-horse-battery-staple')).status).toBe(
        200,
      );
      expect((await login(url, 'admin@tokenlane.dev', 'not-the-password')).status).toBe(401);
    }
  });
});
