import type { AuthChannel } from './channel.js';
import type { LockFunc } from './lock.js';
import type { SessionPort } from './port.js';
import type { Runtime } from './runtime.js';
import type { LogoutReason, Session } from './types.js';

/** What idle sign-out is given of the session it watches. */
export interface IdleContext {
  /** The session: the timer runs while it is `authenticated`, and stops with its `dispose()`. */
  session: Pick<Session<unknown, never>, 'getState' | 'subscribe' | 'dispose'>;
  /** The session's port: the key `useIdleTimer()` finds the binding by. */
  port: SessionPort;
  runtime: Runtime;
  /** The tabs' channel (activity and warnings go through it); `undefined` without cross-tab. */
  channel: AuthChannel<unknown> | undefined;
  /** The tabs' lock: its holder is the one tab that keeps the timer. */
  lock: LockFunc;
  /** Signs out everywhere, at the server too, for `reason`. */
  end: (reason: LogoutReason) => Promise<void>;
}

/**
 * What the client factories need from idle sign-out, made by `idleSignOut()` from
 * `@tokenlane/react-auth/idle`: the core only sees this shape, so an app without it ships none
 * of it. It stops with the session (it wraps its `dispose()`).
 */
export interface IdleBinding {
  attach: (context: IdleContext) => void;
}
