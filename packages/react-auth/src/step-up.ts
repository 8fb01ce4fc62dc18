// Step-up for React apps: `useStepUp`, plus the framework-free half from @tokenlane/core/step-up
// (re-exported so one import serves a React app).
export * from '@tokenlane/core/step-up';
export { useStepUp } from './stepUp/useStepUp.js';
