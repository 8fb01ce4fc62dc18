import { describe, it } from 'vitest';
import { faults } from './faults.js';
import { expectInvariants, postgresOutages, runScenario, sceneFor } from './scenario.js';

// Three instances on Postgres alone: families, users and the limiters' counters in one store.
const scene = sceneFor({ stores: 'postgres' });

describe('three instances on Postgres alone', () => {
  postgresOutages(scene);

  it('refresh answers cut after the commit for 60 s', async () => {
    const row = await runScenario('refresh answers cut 60 s', scene, () =>
      faults.refreshAnswersCut(scene.stack, 60_000),
    );
    expectInvariants(row);
  });
});
