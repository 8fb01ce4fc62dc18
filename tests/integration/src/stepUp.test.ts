import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { AuthClient } from '@tokenlane/react-auth/client';
import type { FetchClient } from '@tokenlane/react-auth/fetch';
import { stepUp, StepUpRequiredError, type StepUp } from '@tokenlane/react-auth/step-up';
import { ADMIN, startTestApi } from '@tokenlane/test-harness';
import { withCookieJar } from '@tokenlane/test-servers/cookieJar';
import { transports, type TestClient } from '@tokenlane/test-servers/transports';

// Issue 24, step-up (RFC 9470): the admin route answers insufficient_user_authentication once the
// login is older than STEP_UP_MAX_AGE. The client holds such requests, says what the server asked
// for, and sends them once more after the user signed in again; cancelling fails them typed.

let skew = 0;
let api: Awaited<ReturnType<typeof startTestApi>>;
beforeAll(async () => {
  api = await startTestApi({
    accessTokenTtlSeconds: 600,
    env: { STEP_UP_MAX_AGE: '300' },
    now: () => Date.now() + skew,
  });
});
afterAll(() => api?.close());
const clients: TestClient[] = [];
afterEach(() => clients.splice(0).forEach((client) => client.dispose()));

describe.each(transports)('step-up over $name, against the real API', (transport) => {
  const setup = async () => {
    const steps = stepUp();
    const c = transport.create(
      { baseURL: api.url, crossTab: false, stepUp: steps },
      withCookieJar(undefined, { maxSockets: 32 }),
    );
    clients.push(c);
    await c.login(ADMIN);
    return { c, steps };
  };
  /** GET /api/admin/stats through the client's own transport: resolves with the status. */
  const stats = async (c: TestClient) =>
    transport.name === 'fetch'
      ? (await (c as unknown as FetchClient).fetch('/api/admin/stats')).status
      : (await (c as unknown as AuthClient).axios.get('/api/admin/stats')).status;
  /**
   * Resolves once requests wait for a step-up: the challenge the app would show. Up to 10 s: on a
   * loaded machine the refusals can take longer than `waitFor`'s default second to come back.
   */
  const challenged = (steps: StepUp) =>
    vi.waitFor(
      () => {
        const challenge = steps.getChallenge();
        if (!challenge) throw new Error('no step-up yet');
        return challenge;
      },
      { timeout: 10_000 },
    );

  it('holds concurrent requests for one step-up, shows what the server asked for once, and sends each once more after the new sign-in', async () => {
    const { c, steps } = await setup();
    expect(await stats(c)).toBe(200);
    skew += 301_000;
    const changes = vi.fn();
    steps.subscribe(changes);
    api.reset();
    const held = Array.from({ length: 5 }, () => stats(c));
    expect(await challenged(steps)).toEqual({ maxAge: 300 });
    // One step-up for the five: it began once.
    expect(changes).toHaveBeenCalledTimes(1);
    await c.login(ADMIN);
    await expect(Promise.all(held)).resolves.toEqual([200, 200, 200, 200, 200]);
    expect(steps.getChallenge()).toBeNull();
    // Five refused, five sent again; no refresh (step-up is not expiry).
    expect(api.counts.unauthorized).toBe(5);
    expect(api.counts.refresh).toBe(0);
  });

  it('cancelling fails every held request with StepUpRequiredError carrying the challenge', async () => {
    const { c, steps } = await setup();
    skew += 301_000;
    const held = Array.from({ length: 3 }, () => stats(c).catch((error: unknown) => error));
    await challenged(steps);
    steps.cancel();
    for (const error of await Promise.all(held)) {
      expect(error).toBeInstanceOf(StepUpRequiredError);
      expect(error).toMatchObject({ code: 'step_up_required', challenge: { maxAge: 300 } });
    }
    expect(steps.getChallenge()).toBeNull();
  });
});
