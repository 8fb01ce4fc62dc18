// @vitest-environment jsdom
import { act, cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import {
  parseStepUpChallenge,
  stepUp,
  StepUpRequiredError,
  type StepUp,
} from '@tokenlane/core/step-up';
import { useStepUp } from '../useStepUp.js';

afterEach(cleanup);

const CHALLENGE =
  'Bearer error="insufficient_user_authentication", error_description="A more recent authentication is required", max_age="300"';

/** A session's `on('login')`, driven by the test. */
function sessionEvents() {
  const listeners = new Set<() => void>();
  return {
    on: (_event: 'login', listener: () => void) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    login: () => listeners.forEach((listener) => listener()),
  };
}

describe('stepUp', () => {
  it('reads max_age and acr_values from a challenge', () => {
    expect(parseStepUpChallenge(CHALLENGE)).toEqual({ maxAge: 300 });
    expect(
      parseStepUpChallenge(
        'DPoP error="insufficient_user_authentication", acr_values="urn:mace:incommon:iap:silver"',
      ),
    ).toEqual({ acrValues: 'urn:mace:incommon:iap:silver' });
  });

  it('leaves other answers alone: 200, 403, and a 401 for an expired token', () => {
    const steps = stepUp();
    expect(steps.required({ status: 200, challenge: undefined })).toBeUndefined();
    expect(steps.required({ status: 403, challenge: CHALLENGE })).toBeUndefined();
    expect(
      steps.required({ status: 401, challenge: 'Bearer realm="x", error="invalid_token"' }),
    ).toBeUndefined();
    expect(steps.getChallenge()).toBeNull();
  });

  it('shares one wait between requests, ends it at the next sign-in, and begins a new one after', async () => {
    const steps = stepUp();
    const session = sessionEvents();
    steps.setup({ session });
    const first = steps.required({ status: 401, challenge: CHALLENGE });
    const second = steps.required({ status: 401, challenge: CHALLENGE });
    expect(second).toBe(first);
    session.login();
    await expect(first).resolves.toBeUndefined();
    expect(steps.getChallenge()).toBeNull();
    expect(steps.required({ status: 401, challenge: CHALLENGE })).not.toBe(first);
  });

  it('emits step-up-required once per step-up, with what the server asked for', () => {
    const steps = stepUp();
    const session = sessionEvents();
    steps.setup({ session });
    const asked: unknown[] = [];
    const stop = steps.on('step-up-required', (challenge) => asked.push(challenge));
    void steps.required({ status: 401, challenge: CHALLENGE });
    void steps.required({ status: 401, challenge: CHALLENGE });
    expect(asked).toEqual([{ maxAge: 300 }]);
    session.login();
    void steps.required({
      status: 401,
      challenge: 'Bearer error="insufficient_user_authentication", acr_values="mfa"',
    });
    expect(asked).toEqual([{ maxAge: 300 }, { acrValues: 'mfa' }]);
    stop();
    session.login();
    void steps.required({ status: 401, challenge: CHALLENGE });
    expect(asked).toHaveLength(2);
  });

  it('useStepUp renders the challenge while requests wait, and nothing once cancelled', async () => {
    const steps: StepUp = stepUp();
    function Dialog() {
      const challenge = useStepUp(steps);
      return challenge ? <p>Sign in again (within {challenge.maxAge} s)</p> : <p>No dialog</p>;
    }
    render(<Dialog />);
    expect(screen.getByText('No dialog')).toBeTruthy();
    let waiting: Promise<void> | undefined;
    act(() => {
      waiting = steps.required({ status: 401, challenge: CHALLENGE });
    });
    expect(screen.getByText('Sign in again (within 300 s)')).toBeTruthy();
    act(() => steps.cancel());
    await expect(waiting).rejects.toBeInstanceOf(StepUpRequiredError);
    expect(screen.getByText('No dialog')).toBeTruthy();
  });
});
