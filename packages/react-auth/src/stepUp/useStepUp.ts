import { useSyncExternalStore } from 'react';
import type { StepUpChallenge } from '@tokenlane/core/step-up';
import type { StepUp } from '@tokenlane/core/step-up';

/**
 * What the server asks for while requests wait for a new sign-in, else `null`: render the
 * re-authentication dialog while it is not `null` (sign in with `client.login`, or call
 * `steps.cancel()`). Re-renders when a step-up begins or ends.
 */
export function useStepUp(steps: StepUp): StepUpChallenge | null {
  return useSyncExternalStore(steps.subscribe, steps.getChallenge, steps.getChallenge);
}
