export { onSessionEnding, type SessionEndingOptions } from './sessionEnd/watchSessionEnd.js';
export { useSessionEnding } from './sessionEnd/useSessionEnding.js';
