export { parseStepUpChallenge, stepUp, StepUpRequiredError, type StepUp } from './stepUp/stepUp.js';
export type { StepUpChallenge } from './stepUp/stepUp.js';
