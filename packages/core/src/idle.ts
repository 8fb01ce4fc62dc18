export { IDLE_EVENTS } from './idle/domActivity.js';
export {
  idleSignOut,
  type IdleOptions,
  type IdleSignOut,
  type IdleState,
  type IdleWarning,
} from './idle/idleSignOut.js';
export type { IdleBinding, IdleContext } from './session/idleBinding.js';
