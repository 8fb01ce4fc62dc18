import { describe, expect, it } from 'vitest';
import { sleep } from './faults.js';
import { expectInvariants, runScenario, sceneFor, type FaultRow } from './scenario.js';
import { skewedClock } from './stack.js';

// Three instances whose clocks differ (Debian's faketime preloaded into each node process): one
// behind, one on time, one ahead. Tokens from the one behind look expired early to the others;
// tokens from the one ahead carry an iat in the future of the one behind.
const scene = sceneFor({ stores: 'postgres+redis', clocks: ['-3s', undefined, '+3s'] });

/** The instances' own idea of the time, from their `Date` headers. */
const clocks = () =>
  Promise.all(
    scene.stack.instances.map(async ({ url }) =>
      Date.parse((await fetch(`${url}/health`)).headers.get('date') ?? ''),
    ),
  );

/**
 * Runs the scenario and checks that nobody noticed: the invariants, no failed request, and no
 * refresh storm (a 3-second token renews about every 2 s, less than one refresh per user per
 * second, where a refresh per request would be 2.5).
 */
async function expectUnnoticed(name: string, inject: () => Promise<void>): Promise<FaultRow> {
  const refreshesBefore = scene.stack.balancer.counts.refresh;
  const began = Date.now();
  const row = await runScenario(name, scene, inject);
  const seconds = (Date.now() - began) / 1000;
  expectInvariants(row);
  expect(row.failedDuringFault).toBe(0);
  expect(scene.stack.balancer.counts.refresh - refreshesBefore).toBeLessThan(
    scene.users.list.length * seconds,
  );
  return row;
}

describe('clock skew between instances, Postgres + Redis', () => {
  it('±3 s: invisible to users', async () => {
    const [behind, , ahead] = await clocks();
    expect(ahead! - behind!).toBeGreaterThanOrEqual(5_000);
    await expectUnnoticed('clocks ±3 s', () => sleep(20_000));
  });

  it('±30 s: invisible too (CLOCK_TOLERANCE is 60 s): no sign-out, no refresh storm, no failed request', async () => {
    await expectUnnoticed('clocks ±30 s', async () => {
      await scene.stack.restart(0, skewedClock('-30s'));
      await scene.stack.restart(2, skewedClock('+30s'));
      await sleep(20_000);
    });
    const [behind, , ahead] = await clocks();
    expect(ahead! - behind!).toBeGreaterThanOrEqual(59_000);
  });
});
