export { onSessionEnding, type SessionEndingOptions } from './sessionEnd/watchSessionEnd.js';
