import { describe, expect, it } from 'vitest';
import { faults } from './faults.js';
import { expectInvariants, runScenario, sceneFor } from './scenario.js';

// Refresh answers cut after the commit: each instance rotates the family (or hands back the
// unused child), the balancer receives the whole answer and resets the client's connection.
const scene = sceneFor({ stores: 'postgres+redis' });

describe('refresh answers lost after the commit, three instances on Postgres + Redis', () => {
  it.each([10, 60])('for %i s: every retry, however late, renews the session', async (seconds) => {
    const cutBefore = scene.stack.balancer.counts.cut;
    const row = await runScenario(`refresh answers cut ${seconds} s`, scene, () =>
      faults.refreshAnswersCut(scene.stack, seconds * 1000),
    );
    expectInvariants(row);
    // Every user renewed during the cut (3-second tokens) and lost the answer.
    expect(scene.stack.balancer.counts.cut - cutBefore).toBeGreaterThanOrEqual(
      scene.users.list.length,
    );
  });
});
