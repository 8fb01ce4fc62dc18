import type { AuthChannel } from './channel.js';
import type { BrowserRecord } from './browserRecord.js';
import type { Emitter } from './emitter.js';
import { RefreshFailedError, SessionChangedError, SessionExpiredError } from './errors.js';
import type { LockFunc, LockGrant } from './lock.js';
import { refreshWithBackoff, toRefreshError } from './refreshCall.js';
import type { Runtime } from './runtime.js';
import { compareMarks, sameSession, type SessionMark } from './sessionMark.js';
import { createSingleFlight, type SingleFlight } from './singleFlight.js';
import type { TokenHolder } from './tokenHolder.js';
import type { AuthEvents, AuthTransport, RefreshReason, TokenSet } from './types.js';

/** A user's stable identity: `id`, else `sub`; `undefined` when it has neither. */
const identityOf = (user: unknown): unknown => {
  const { id, sub } = (user ?? {}) as { id?: unknown; sub?: unknown };
  return id ?? sub;
};

/** Name of the cross-tab refresh lock. */
export const REFRESH_LOCK_NAME = 'tokenlane:refresh';
/**
 * How long a request waits for a refresh (the lock, the call, its retries): then it fails with
 * `RefreshFailedError` and the session is kept. The call itself goes on holding the lock, so no
 * other tab presents the refresh token it carries; later requests join it, and its answer is
 * still taken when it lands.
 */
export const REFRESH_WAIT_MS = 30_000;
/**
 * How long a tab waits for another tab's refresh (as long as its requests do); then it gives up
 * without refreshing itself.
 */
export const LOCK_ACQUIRE_TIMEOUT_MS = REFRESH_WAIT_MS;

/** The refresh in flight: the token and the session it began with, and why it began. */
export interface FlightMeta {
  startedWith: string | null;
  mark: SessionMark;
  reason: RefreshReason;
}

/** What the refresh flight works with, shared with the rest of the session. */
export interface RefreshContext<TUser> {
  transport: Pick<AuthTransport<TUser, never>, 'refresh' | 'logout'>;
  held: TokenHolder<TUser>;
  runtime: Runtime;
  lock: LockFunc;
  channel: AuthChannel<TUser> | undefined;
  events: Emitter<AuthEvents<TUser>>;
  /** The browser's order of sign-ins and sign-outs, as every tab wrote it. */
  record: BrowserRecord;
  /** The refresh token travels in the body: the session holds it, and must revoke what it drops. */
  inBody: boolean;
  /** Holds a token set the server just issued for the session `mark`, and hands it to the other tabs. */
  accept(set: TokenSet<TUser>, mark: SessionMark): void;
  /** The server refused to renew the live session: sign out here and in the other tabs. */
  expire(error: SessionExpiredError): void;
}

/**
 * The one refresh of a tab at a time: under the cross-tab lock, reusing another tab's token when
 * one arrived, never presenting a refresh token without the lock, bounded in time for its waiters.
 */
export function createRefreshFlight<TUser>(context: RefreshContext<TUser>): {
  flight: SingleFlight<string, FlightMeta>;
  refresh: (reason: RefreshReason, force?: boolean) => Promise<string>;
} {
  const { transport, held, runtime, lock, channel, events, record } = context;
  const flight = createSingleFlight<string, FlightMeta>();
  const wait = (ms: number) => new Promise<void>((resolve) => runtime.setTimeout(resolve, ms));

  // The decisions, named.
  /**
   * `force` must not join a refresh that began with an older token: it could end by adopting
   * another tab's token, which is not the new one the caller asked for.
   */
  const mustNotJoin = (running: FlightMeta, force: boolean) =>
    force && running.startedWith !== held.token;
  /** A token from another tab replaced `startedWith` meanwhile, and it is still good. */
  const newerFromAnotherTab = (startedWith: string | null) =>
    held.token !== startedWith && !held.isRenewalDue() ? held.token : null;
  /**
   * Whether the browser is still in the session `start`: no sign-in or sign-out since, in this tab
   * (its mark) or in any other (the browser's record, which may be ahead of the channel).
   */
  const stillIn = (start: SessionMark) =>
    sameSession(held.mark, start) && compareMarks(record.read(), start) <= 0;
  /**
   * A token set that arrived for a session that has ended since (a logout, or another sign-in,
   * came while its refresh was in flight): it is not held, and its refresh token, if the server
   * handed one, must not outlive it. (A cookie's family is revoked by the logout, or by the
   * server at the sign-in that presented it.)
   */
  const revokeDropped = (set: TokenSet<TUser>) =>
    context.inBody && set.refreshToken
      ? transport.logout(set.refreshToken).catch(() => undefined)
      : Promise.resolve();
  /**
   * An answer for a user other than the session's (their `id`, or OpenID Connect's `sub`): the
   * refresh token is someone else's. Users without either are not compared (claims such as
   * `auth_time` may change between answers of one user).
   */
  const otherUser = (set: TokenSet<TUser>) => {
    const mine = identityOf(held.store.getState().user);
    const theirs = identityOf(set.user);
    return mine !== undefined && theirs !== undefined && mine !== theirs;
  };

  function run(reason: RefreshReason, startedWith: string | null, force: boolean) {
    const start = held.mark;
    events.emit('refresh-start', { reason });
    /** The part that needs the lock: read the refresh token held now, present it, take the answer. */
    async function renew(grant: LockGrant) {
      // Whoever held the lock before posted its token before releasing it: let it arrive before
      // deciding, even if this tab did not wait (its answer, a 401 or its timer, may have come
      // before the message).
      await channel?.settle?.();
      // Another tab renewed this session (or, for a tab without one, began the browser's).
      const reusable = force ? null : newerFromAnotherTab(startedWith);
      if (reusable !== null && (start.sid === null || sameSession(held.mark, start))) {
        return reusable;
      }
      // A sign-in or sign-out came meanwhile: the refresh token held now is not this session's.
      if (!stillIn(start)) throw new SessionChangedError();
      // Another tab still holds the lock, and may be presenting this very refresh token.
      if (grant.held === false) throw new RefreshFailedError();
      // Read now, after any other tab's rotation arrived: never present a rotated one.
      const refreshToken = held.refreshToken;
      if (context.inBody && refreshToken === null) throw new SessionExpiredError();
      const set = await refreshWithBackoff(() => transport.refresh(refreshToken), wait);
      if (!stillIn(start)) {
        await revokeDropped(set);
        throw new SessionChangedError();
      }
      if (otherUser(set)) {
        // The browser's cookie (or storage) holds another user's session: end both.
        await (context.inBody ? revokeDropped(set) : transport.logout(null).catch(() => undefined));
        throw new SessionExpiredError();
      }
      context.accept(set, start);
      return set.accessToken;
    }
    const verdict = lock(REFRESH_LOCK_NAME, LOCK_ACQUIRE_TIMEOUT_MS, renew).then(
      (token) => {
        events.emit('refresh-success', { reason, expiresAt: held.store.getState().expiresAt });
        return token;
      },
      async (error: unknown) => {
        const typed = toRefreshError(error);
        events.emit('refresh-failure', { reason, error: typed });
        // A refusal ends the session it was meant to renew, not one that began since, and not
        // one another tab has renewed meanwhile (the refused token was an old one). A page-load
        // restore that is refused ends nothing live: it turns `loading` into signed out quietly.
        if (typed instanceof SessionExpiredError && stillIn(start)) {
          // The tab that won a race for the same token may be telling this one right now.
          await channel?.settle?.();
          // Another tab renewed since: the refused token was an old one; the session lives on (its
          // token is used, or renewed by the next request if it is due already).
          if (held.token !== startedWith) {
            const newer = newerFromAnotherTab(startedWith);
            if (newer !== null) return newer;
            throw new RefreshFailedError({ cause: typed });
          }
          context.expire(typed);
        } else if (typed instanceof SessionExpiredError && !stillIn(start)) {
          // The refusal was of a session the browser has left: not this session's verdict.
          throw new SessionChangedError({ cause: typed });
        }
        throw typed;
      },
    );
    return verdict;
  }

  function refresh(reason: RefreshReason, force = false): Promise<string> {
    const running = flight.current;
    if (running && mustNotJoin(running.meta, force)) {
      return running.promise.catch(() => undefined).then(() => refresh(reason, true));
    }
    const startedWith = held.token;
    return flight.run({ startedWith, mark: held.mark, reason }, () =>
      run(reason, startedWith, force),
    );
  }

  return { flight, refresh };
}
