import { describe, it } from 'vitest';
import { faults } from './faults.js';
import { expectInvariants, runScenario, sceneFor } from './scenario.js';

// The default store: SQLite, here one file shared by two instances (rotations take turns through
// BEGIN IMMEDIATE across processes).
const scene = sceneFor({ stores: 'sqlite', instances: 2 });

describe('two instances on the SQLite default', () => {
  it.each([10, 60])('refresh answers cut after the commit for %i s', async (seconds) => {
    const row = await runScenario(`refresh answers cut ${seconds} s`, scene, () =>
      faults.refreshAnswersCut(scene.stack, seconds * 1000),
    );
    expectInvariants(row);
  });

  it('an instance SIGKILLed mid-rotation, replaced 2 s later', async () => {
    const row = await runScenario('instance killed mid-rotation', scene, () =>
      faults.killedMidRotation(scene.stack, 1),
    );
    expectInvariants(row);
  });
});
