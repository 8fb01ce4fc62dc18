import { describe, expect, it } from 'vitest';
import { faults, refreshesPass, sleep } from './faults.js';
import { expectInvariants, runScenario, sceneFor } from './scenario.js';
import { KEYS } from './stack.js';

const scene = sceneFor({ stores: 'postgres+redis' });

describe('process faults, three instances on Postgres + Redis', () => {
  it('an instance SIGKILLed mid-rotation (the refreshes reaching it die with it), replaced 2 s later', async () => {
    const row = await runScenario('instance killed mid-rotation', scene, () =>
      faults.killedMidRotation(scene.stack, 1),
    );
    expectInvariants(row);
  });

  it('an instance SIGKILLed mid-burst of 200 after expiry', async () => {
    const { stack, users } = scene;
    const row = await runScenario('instance killed mid-burst', scene, async () => {
      const burst = users.list.slice(0, 4).map((user) => {
        user.client.expire();
        return Promise.allSettled(Array.from({ length: 50 }, () => user.client.get('/api/todos')));
      });
      await refreshesPass(stack, 1);
      await stack.kill(2);
      await Promise.all(burst);
      await stack.replace(2);
    });
    expectInvariants(row);
  });

  it('an instance SIGSTOPped for 15 s, then SIGCONT: its requests wait, then finish', async () => {
    const row = await runScenario('instance paused 15 s', scene, async () => {
      const { child } = scene.stack.instances[0]!;
      child.kill('SIGSTOP');
      await sleep(15_000);
      child.kill('SIGCONT');
    });
    // The requests it held were answered once it went on.
    expectInvariants(row, { longestAnswerSeconds: 20 });
    expect(row.longestAnswerSeconds).toBeGreaterThan(10);
  });

  it('a rolling restart, one instance at a time, with a new signing key put first midway', async () => {
    const { stack } = scene;
    const rotated = { JWT_SECRET: '', JWT_SECRETS: `${KEYS.next},${KEYS.old}` };
    const row = await runScenario('rolling restart, key rotated midway', scene, async () => {
      await stack.restart(0);
      await sleep(2_000);
      // Midway: the new key signs, the old one still verifies.
      await stack.restart(1, rotated);
      await sleep(2_000);
      await stack.restart(2, rotated);
      await sleep(2_000);
      await stack.restart(0, rotated);
    });
    expectInvariants(row);
  });
});
