export { IDLE_EVENTS } from './idle/domActivity.js';
export {
  idleSignOut,
  type IdleContext,
  type IdleOptions,
  type IdleSignOut,
  type IdleState,
  type IdleWarning,
} from './idle/idleSignOut.js';
