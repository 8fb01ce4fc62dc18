import { describe, expect, it } from 'vitest';
import { faults } from './faults.js';
import { expectInvariants, postgresOutages, runScenario, sceneFor } from './scenario.js';

const scene = sceneFor({ stores: 'postgres+redis' });

describe('store outages, three instances on Postgres + Redis', () => {
  postgresOutages(scene);

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
