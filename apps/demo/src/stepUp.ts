import { stepUp } from '@tokenlane/react-auth/step-up';

/**
 * The demo's step-up: the admin routes ask for a sign-in at most STEP_UP_MAX_AGE old (RFC 9470);
 * their requests wait while `StepUpDialog` asks for the password again. Shared by both transports
 * and the devtools.
 */
export const steps = stepUp();
