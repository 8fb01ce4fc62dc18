export { parseStepUpChallenge, stepUp, StepUpRequiredError, type StepUp } from './stepUp/stepUp.js';
export type { StepUpBinding, StepUpChallenge } from './core/stepUpBinding.js';
export { useStepUp } from './stepUp/useStepUp.js';
