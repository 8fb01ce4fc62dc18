import type { BrowserRecord } from './browserRecord.js';
import { AuthConfigError, RefreshFailedError } from './errors.js';
import type { createPendingSignOut } from './pendingSignOut.js';
import { createRetryTimer } from './retryTimer.js';
import type { Runtime } from './runtime.js';
import { compareMarks, sameSession, type SessionMark } from './sessionMark.js';
import { RESTORE_RETRY_MS } from './sessionOptions.js';
import type { TokenHolder } from './tokenHolder.js';
import type { TokenStorage } from './tokenStorage.js';
import type { AuthState, RefreshReason, TokenSet } from './types.js';

/** What a page-load restore works with, shared with the rest of the session. */
export interface RestoreContext<TUser> {
  held: TokenHolder<TUser>;
  record: BrowserRecord;
  pending: ReturnType<typeof createPendingSignOut>;
  runtime: Runtime;
  refresh: (reason: RefreshReason) => Promise<string>;
  /** Holds a token set the server issued, for this tab's session. */
  accept: (set: TokenSet<TUser>, mark: SessionMark) => void;
  /** The profile's reader of a session answer (a server render's `serverSession`). */
  parse: (data: unknown) => TokenSet<TUser>;
  /** With refresh tokens in the body: where one may have been kept. */
  inBody: boolean;
  storage: TokenStorage | undefined;
  storageKey: string;
}

/**
 * The page-load restore: into the session the browser's record names (or a new one), never while
 * a sign-out waits for the server's confirmation; retried by itself (on a timer and on wake) while
 * the server cannot be reached.
 */
export function createRestore<TUser>(context: RestoreContext<TUser>) {
  const { held, record, pending, inBody, storage, storageKey } = context;
  const { store } = held;
  const retry = createRetryTimer(context.runtime, RESTORE_RETRY_MS, () => {
    if (store.getState().status === 'unreachable') void restore();
    else retry.disarm(true);
  });

  async function restore(serverSession?: unknown): Promise<AuthState<TUser>> {
    if (held.isSignedIn()) return store.getState();
    const known = record.read();
    if (compareMarks(known, held.mark) > 0) held.setMark(known);
    // A sign-out the server has not confirmed: no session comes back until it does.
    if (known.pending && sameSession(known, held.mark)) {
      held.clear();
      if (!inBody) void pending.start(known.seq, null);
      return store.getState();
    }
    // The session the server rendered with: held at once (before any await), with no call.
    if (serverSession != null) {
      try {
        context.accept(context.parse(serverSession), held.mark);
        return store.getState();
      } catch {
        // Not a session answer: the server says.
      }
    }
    if (inBody && held.refreshToken === null) {
      const stored = await Promise.resolve(storage?.getItem(storageKey)).catch(() => null);
      if (stored) held.adoptRefreshToken(stored);
      // Nothing to restore from: signed out, without asking the server.
      else if (held.token === null) {
        held.clear();
        return store.getState();
      }
      // A login may have finished while storage answered.
      if (held.isSignedIn()) return store.getState();
    }
    await context.refresh('restore').then(
      () => retry.disarm(true),
      (error: unknown) => {
        if (held.token !== null) return retry.disarm(true);
        // No verdict is not a sign-out: say so, and try again by itself. An endpoint that is not
        // one is not an outage: signed out (the login form says why), never loading forever.
        if (error instanceof RefreshFailedError && !(error.cause instanceof AuthConfigError)) {
          held.markUnreachable();
          retry.arm();
        } else {
          retry.disarm(true);
          held.clear();
        }
      },
    );
    return store.getState();
  }
  return { restore, dispose: () => retry.dispose() };
}
