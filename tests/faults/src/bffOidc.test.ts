import fetchCookie from 'fetch-cookie';
import { describe, expect, it } from 'vitest';
import { bffServer } from '@tokenlane/react-auth';
import { signInThroughProvider } from '@tokenlane/test-servers/oidc';
import { startBffStack, type BffStack } from './bffStack.js';
import { faults, sleep } from './faults.js';
import { expectInvariants, runScenario, sceneFor } from './scenario.js';
import type { SimUser } from './users.js';

// The same BFFs on oidc-provider (rotation with no reuse grace), the users signed in by navigation.
// Only faults that lose no answer: with no grace, a refresh answer lost after the provider rotated
// cannot be recovered by any client (see the BFF guide). A store outage right after a rotation
// loses nothing: the instance keeps the new set and writes it when the store is back.
let oidcStack: BffStack;
const oidcScene = sceneFor(async () => (oidcStack = await startBffStack('oidc')), {
  path: '/bff-api',
  server: bffServer(),
  login: async (user: SimUser) => {
    const origin = oidcStack.balancer.url;
    const browser = fetchCookie(fetch, user.jar);
    const start = await browser(`${origin}/bff/login`, { redirect: 'manual' });
    const back = await signInThroughProvider(
      new URL(start.headers.get('location')!),
      `${origin}/bff/callback`,
    );
    await (await browser(back, { redirect: 'manual' })).arrayBuffer();
    await user.client.restore();
  },
});

describe('BFF mode: three BFF instances on Redis, oidc-provider upstream', () => {
  it('a rolling restart of the BFF instances', async () => {
    const row = await runScenario('BFF on OIDC: rolling restart', oidcScene, async () => {
      for (const index of [0, 1, 2]) {
        await oidcScene.stack.restart(index);
        await sleep(2_000);
      }
    });
    expectInvariants(row);
    expect(oidcStack.provider!.counts.refresh).toBeGreaterThan(0);
  });

  it('Redis stopped for 10 s while the rotations of the provider are on their way back', async () => {
    // Token answers are held once the provider has rotated; Redis stops; then they arrive: the
    // BFFs cannot write the new sets, and the old refresh tokens are consumed.
    const before = oidcStack.provider!.counts.refresh;
    const row = await runScenario(
      'BFF on OIDC: Redis stopped after a rotation',
      oidcScene,
      async () => {
        const hold = oidcStack.provider!.holdTokenAnswers();
        await hold.held;
        await oidcScene.stack.redis!.stop();
        hold.release();
        await sleep(10_000);
        await oidcScene.stack.redis!.start();
      },
    );
    expectInvariants(row);
    expect(oidcStack.provider!.counts.refresh).toBeGreaterThan(before);
  });

  it('Redis stopped for 30 s', async () => {
    const row = await runScenario('BFF on OIDC: Redis stopped 30 s', oidcScene, () =>
      faults.redisStopped(oidcScene.stack, 30_000),
    );
    expectInvariants(row);
  });
});
