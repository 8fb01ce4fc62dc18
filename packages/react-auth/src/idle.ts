// Idle sign-out for React apps: `useIdleTimer`, plus the framework-free half from
// @tokenlane/core/idle (re-exported so one import serves a React app).
export * from '@tokenlane/core/idle';
export { useIdleTimer, type IdleTimer } from './idle/useIdleTimer.js';
