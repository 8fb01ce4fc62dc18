import { describe, expect, it } from 'vitest';
import { faults } from './faults.js';
import { expectInvariants, runScenario, sceneFor } from './scenario.js';

// Three instances on Postgres alone: families, users and the limiters' counters in one store.
const scene = sceneFor({ stores: 'postgres' });

describe('three instances on Postgres alone', () => {
  it('Postgres unreachable for 2 s', async () => {
    const row = await runScenario('Postgres unreachable 2 s', scene, () =>
      faults.postgresUnreachable(scene.stack, 2_000),
    );
    expectInvariants(row);
  });

  it('Postgres stopped for 30 s', async () => {
    const row = await runScenario('Postgres stopped 30 s', scene, () =>
      faults.postgresStopped(scene.stack, 30_000),
    );
    expectInvariants(row);
    expect(row.failedDuringFault).toBeGreaterThan(0);
  });

  it('refresh answers cut after the commit for 60 s', async () => {
    const row = await runScenario('refresh answers cut 60 s', scene, () =>
      faults.refreshAnswersCut(scene.stack, 60_000),
    );
    expectInvariants(row);
  });
});
