import { AuthError } from '../session/errors.js';
import type { PluginHooks, TokenlanePlugin } from '../session/plugin.js';
import type { AnswerInfo } from '../session/serverProfile.js';

/** What a server asked for in a step-up challenge (RFC 9470). */
export interface StepUpChallenge {
  /** The most seconds since the user's last authentication the server accepts (`max_age`). */
  maxAge?: number | undefined;
  /** The authentication methods the server asks for (`acr_values`, space separated). */
  acrValues?: string | undefined;
}

/** The step-up a request waited for was cancelled: the request fails with this. */
export class StepUpRequiredError extends AuthError {
  declare readonly code: 'step_up_required';
  /** What the server asked for. */
  declare readonly challenge: StepUpChallenge;
  constructor(challenge: StepUpChallenge) {
    super('step_up_required', 'A more recent or stronger sign-in is required');
    this.name = 'StepUpRequiredError';
    this.challenge = challenge;
  }
}

/**
 * Step-up for a client (a plug-in: `plugins: [steps]`), and what the app's re-authentication UI
 * works with.
 */
export interface StepUp extends TokenlanePlugin {
  readonly name: 'step-up';
  /** Hears the session's sign-ins (one satisfies the step-up waiting); requests ask `required`. */
  setup: (context: {
    session: { on(event: 'login', listener: () => void): () => void };
  }) => PluginHooks;
  /**
   * For a final answer: `undefined` unless it asks for step-up (`401` with
   * `error="insufficient_user_authentication"`); then a promise, shared by every request waiting,
   * that resolves once the user signed in again (send the request once more) and rejects with
   * `StepUpRequiredError` if the step-up is cancelled.
   */
  required: (answer: AnswerInfo) => Promise<void> | undefined;
  /** What the server asks for while requests wait for a new sign-in, else `null`. */
  getChallenge: () => StepUpChallenge | null;
  /** Calls `listener` when a step-up begins or ends (`useSyncExternalStore`-ready); returns an unsubscribe function. */
  subscribe: (listener: () => void) => () => void;
  /**
   * Calls `listener` with what the server asked for each time a step-up begins (the first request
   * refused for it; the ones refused while it waits join it); returns an unsubscribe function.
   */
  on: (event: 'step-up-required', listener: (challenge: StepUpChallenge) => void) => () => void;
  /** Gives up: every waiting request fails with `StepUpRequiredError`. */
  cancel: () => void;
}

const param = (challenge: string, name: string) =>
  new RegExp(`${name}="?([^",]*)"?`).exec(challenge)?.[1];

/** `max_age` and `acr_values` of a step-up challenge. */
export function parseStepUpChallenge(challenge: string): StepUpChallenge {
  const maxAge = Number(param(challenge, 'max_age'));
  const acrValues = param(challenge, 'acr_values');
  return {
    ...(Number.isFinite(maxAge) && { maxAge }),
    ...(acrValues !== undefined && { acrValues }),
  };
}

/**
 * Step-up (RFC 9470) for a client: a request answered `insufficient_user_authentication` waits
 * instead of failing, with every other such request, for one new sign-in (`client.login(...)`,
 * or an OAuth redirect with `max_age`/`acr_values`); then each is sent once more. The app shows
 * its re-authentication UI while `getChallenge()` is not `null`; `cancel()` fails the waiting
 * requests with `StepUpRequiredError`.
 */
export function stepUp(): StepUp {
  let waiting:
    | { challenge: StepUpChallenge; promise: Promise<void>; settle: (error?: Error) => void }
    | undefined;
  const listeners = new Set<() => void>();
  const required = new Set<(challenge: StepUpChallenge) => void>();
  const end = (error?: Error) => {
    const ended = waiting;
    waiting = undefined;
    ended?.settle(error);
    if (ended) listeners.forEach((listener) => listener());
  };
  const steps: StepUp = {
    name: 'step-up',
    setup({ session }) {
      session.on('login', () => end());
      return { retryAfter: steps.required };
    },
    required({ status, challenge }) {
      if (status !== 401 || !challenge?.includes('insufficient_user_authentication')) {
        return undefined;
      }
      if (!waiting) {
        let settle: (error?: Error) => void = () => {};
        const promise = new Promise<void>((resolve, reject) => {
          settle = (error) => (error ? reject(error) : resolve());
        });
        const asked = parseStepUpChallenge(challenge);
        waiting = { challenge: asked, promise, settle };
        listeners.forEach((listener) => listener());
        required.forEach((listener) => listener(asked));
      }
      return waiting.promise;
    },
    getChallenge: () => waiting?.challenge ?? null,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    on(_event, listener) {
      required.add(listener);
      return () => required.delete(listener);
    },
    cancel: () => end(waiting && new StepUpRequiredError(waiting.challenge)),
  };
  return steps;
}
