import { describe, expect, it } from 'vitest';
import { bffServer } from '@tokenlane/react-auth';
import { startBffStack, type BffStack } from './bffStack.js';
import { faults, sleep } from './faults.js';
import { expectInvariants, runScenario, sceneFor } from './scenario.js';

// BFF mode under faults: 20 users of the package's clients with `bffServer()` (no token in the
// client), three BFF processes on one Redis, the API upstream with 3-second tokens. The same
// invariants as the API's stacks: no session lost, no reuse detected, no 500, every request ends.

let bffStack: BffStack;
const scene = sceneFor(async () => (bffStack = await startBffStack()), {
  path: '/bff-api/todos',
  server: bffServer(),
});

/** Resolves once `count` more refreshes have gone from the BFFs to the API. */
async function upstreamRefreshesPass(count: number) {
  const target = bffStack.link.counts.refresh + count;
  while (bffStack.link.counts.refresh < target) await sleep(5);
}

describe('BFF mode: three BFF instances on Redis, the API upstream', () => {
  it('a rolling restart of the BFF instances', async () => {
    const row = await runScenario('BFF: rolling restart', scene, async () => {
      for (const index of [0, 1, 2]) {
        await scene.stack.restart(index);
        await sleep(2_000);
      }
    });
    expectInvariants(row);
  });

  it('a BFF SIGKILLed mid-refresh (its upstream refresh sent, its answer never read), replaced 2 s later', async () => {
    const row = await runScenario('BFF: killed mid-refresh', scene, async () => {
      const { stack } = scene;
      // Every call on one instance for a moment, so that the refresh in flight is its.
      stack.balancer.only(stack.instances[1]!.url);
      await upstreamRefreshesPass(1);
      await stack.kill(1);
      stack.balancer.setUpstreams([stack.instances[0]!.url, stack.instances[2]!.url]);
      stack.balancer.all();
      await sleep(2_000);
      await stack.replace(1);
    });
    expectInvariants(row);
  });

  it("the API's refresh answers lost after it rotated, for 2 s", async () => {
    const row = await runScenario('BFF: upstream refresh answers lost 2 s', scene, async () => {
      bffStack.link.cutRefreshAnswers(true);
      await sleep(2_000);
      bffStack.link.cutRefreshAnswers(false);
    });
    expectInvariants(row);
    expect(bffStack.link.counts.cut).toBeGreaterThan(0);
  });

  it('Redis stopped for 30 s (the sessions wait in its append-only file)', async () => {
    const row = await runScenario('BFF: Redis stopped 30 s', scene, () =>
      faults.redisStopped(scene.stack, 30_000),
    );
    expectInvariants(row);
    expect(row.failedDuringFault).toBeGreaterThan(0);
  });
});
