import { describe, expect, it } from 'vitest';
import { faults } from './faults.js';
import { expectInvariants, runScenario, sceneFor } from './scenario.js';

// Stores that accept connections and answer late, or never (a partition): three instances on
// Postgres + Redis, a TCP fault proxy in front of each store.
const scene = sceneFor({ stores: 'postgres+redis' });

describe('slow and black-holed stores, three instances on Postgres + Redis', () => {
  it.each(['Postgres', 'Redis'] as const)(
    '%s black-holed for 30 s: answers 503 within REQUEST_TIMEOUT, the pools recover by themselves',
    async (store) => {
      const row = await runScenario(`${store} black-holed 30 s`, scene, () =>
        faults.blackholed(scene.stack, store, 30_000),
      );
      // Every answer within REQUEST_TIMEOUT (15 s): the stores' own timeouts (2 s to connect, 5 s
      // a query or command) end each request with a 503.
      expectInvariants(row, { longestAnswerSeconds: 15 });
      expect(row.failedDuringFault).toBeGreaterThan(0);
    },
  );

  it('both stores 200 ms slower each way for 15 s: slower answers, nothing lost', async () => {
    const row = await runScenario('stores 200 ms slower 15 s', scene, () =>
      faults.slowStores(scene.stack, 200, 15_000),
    );
    expectInvariants(row);
  });
});
