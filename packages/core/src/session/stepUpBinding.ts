import type { AnswerInfo } from './serverProfile.js';

/** What a server asked for in a step-up challenge (RFC 9470). */
export interface StepUpChallenge {
  /** The most seconds since the user's last authentication the server accepts (`max_age`). */
  maxAge?: number | undefined;
  /** The authentication methods the server asks for (`acr_values`, space separated). */
  acrValues?: string | undefined;
}

/**
 * What the adapters need from step-up, made by `stepUp()` from `@tokenlane/react-auth/step-up`:
 * the core and the adapters only see this shape, so an app without step-up ships none of it.
 */
export interface StepUpBinding {
  /** Hears the session's sign-ins: one satisfies the step-up waiting, if any. */
  attach: (session: { on(event: 'login', listener: () => void): () => void }) => void;
  /**
   * For a final answer: `undefined` unless it asks for step-up (`401` with
   * `error="insufficient_user_authentication"`); then a promise, shared by every request waiting,
   * that resolves once the user signed in again (send the request once more) and rejects with
   * `StepUpRequiredError` if the step-up is cancelled.
   */
  required: (answer: AnswerInfo) => Promise<void> | undefined;
}
