export {
  IDLE_EVENTS,
  idleSignOut,
  type IdleOptions,
  type IdleSignOut,
  type IdleState,
  type IdleWarning,
} from './idle/idleSignOut.js';
export type { IdleBinding, IdleContext } from './core/idleBinding.js';
export { useIdleTimer, type IdleTimer } from './idle/useIdleTimer.js';
