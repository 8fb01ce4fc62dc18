// The session-end notice for React apps: `useSessionEnding`, plus the framework-free half from
// @tokenlane/core/session-end (re-exported so one import serves a React app).
export * from '@tokenlane/core/session-end';
export { useSessionEnding } from './sessionEnd/useSessionEnding.js';
