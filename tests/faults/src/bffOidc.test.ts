import fetchCookie from 'fetch-cookie';
import { describe, expect, it } from 'vitest';
import { bffServer } from '@tokenlane/react-auth';
import { signInThroughProvider } from '@tokenlane/test-servers/oidc';
import { startBffStack, type BffStack } from './bffStack.js';
import { sleep } from './faults.js';
import { expectInvariants, runScenario, sceneFor } from './scenario.js';
import type { SimUser } from './users.js';

// The same BFFs on oidc-provider (rotation with no reuse grace), the users signed in by navigation.
// Only a fault that loses no answer: with no grace, a refresh answer lost after the provider
// rotated cannot be recovered by any client, and neither can a rotation whose new token set the
// store could not take (a store outage in that window): see the BFF guide.
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
});
