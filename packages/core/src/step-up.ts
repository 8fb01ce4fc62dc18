export { parseStepUpChallenge, stepUp, StepUpRequiredError, type StepUp } from './stepUp/stepUp.js';
export type { StepUpBinding, StepUpChallenge } from './session/stepUpBinding.js';
