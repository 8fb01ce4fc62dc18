import type { LockFunc } from './lock.js';
import type { SessionPort } from './port.js';
import type { AuthTransport, Session } from './types.js';

/** What tracing wraps before the session is built: its calls to the server, and its lock. */
export interface TracedParts {
  transport: AuthTransport<unknown, never>;
  lock: LockFunc;
}

/**
 * What the client factories need from tracing, made by `otelTracing()` from
 * `@tokenlane/react-auth/otel`: the core only sees this shape, so an app without it ships none
 * of it (and no `@opentelemetry/api`).
 */
export interface TraceBinding {
  /** Wraps the refresh calls (one `traceparent` each) and the cross-tab lock (its waits). */
  wrap: <T extends TracedParts>(parts: T) => T;
  /** Hears the session's refreshes and restores, and the requests that wait for them. */
  attach: (context: { session: Session<unknown, never>; port: SessionPort }) => void;
}
