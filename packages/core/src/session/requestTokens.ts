import type { Emitter } from './emitter.js';
import {
  FreshTokenRefusedError,
  RefreshFailedError,
  SessionChangedError,
  SessionExpiredError,
} from './errors.js';
import type { SessionPort } from './port.js';
import { REFRESH_WAIT_MS, type FlightMeta } from './refreshFlight.js';
import type { Runtime } from './runtime.js';
import { sameSession, type SessionMark } from './sessionMark.js';
import type { SingleFlight } from './singleFlight.js';
import type { TokenHolder } from './tokenHolder.js';
import type { AuthEvents, RefreshReason } from './types.js';
import { within } from './within.js';

/** What the requests' side of the session works with. */
interface RequestTokensContext<TUser> {
  runtime: Runtime;
  held: TokenHolder<TUser>;
  flight: SingleFlight<string, FlightMeta>;
  refresh: (reason: RefreshReason) => Promise<string>;
  events: Emitter<AuthEvents<TUser>>;
}

/**
 * The token each request goes out with, and what it retries with after a rejection: joined to the
 * refresh in flight, waiting at most `REFRESH_WAIT_MS` for it.
 */
export function createRequestTokens<TUser>({
  runtime,
  held,
  flight,
  refresh,
  events,
}: RequestTokensContext<TUser>): {
  getAccessToken: () => Promise<string | null>;
  port: SessionPort;
} {
  // The decisions, named.
  /**
   * Requests queued behind a page-load restore go out unauthenticated when it fails; those queued
   * behind the renewal of a live session share its verdict, if they began in that session (the
   * new user's requests never fail for the old session's end).
   */
  const sharesVerdict = (error: unknown, running: FlightMeta, mark: SessionMark) =>
    error instanceof SessionExpiredError &&
    running.reason !== 'restore' &&
    sameSession(running.mark, mark);
  /** The server could not be reached, but the token in hand still lives: keep using it. */
  const canKeepToken = (error: unknown) =>
    error instanceof RefreshFailedError && !held.hasExpired();

  /**
   * Waits for `renewal`, at most `REFRESH_WAIT_MS` (then `RefreshFailedError`), and hands its token
   * only to a request of the session it began in: one begun as another user (`mark`) fails with
   * `SessionChangedError` instead of going out with this user's token.
   */
  const bounded = async <T>(renewal: Promise<T>, mark: SessionMark = held.mark) => {
    const token = await within(runtime, renewal, REFRESH_WAIT_MS, () =>
      Promise.reject(new RefreshFailedError()),
    ).catch((error: unknown) => {
      // The session it began in was refused: that is its verdict, whatever came after.
      if (error instanceof SessionExpiredError) throw error;
      if (mark.sid !== null && !sameSession(held.mark, mark)) throw new SessionChangedError();
      throw error;
    });
    if (mark.sid !== null && !sameSession(held.mark, mark)) throw new SessionChangedError();
    return token;
  };

  /** The token to send now: after the refresh in flight, or after one it starts if one is due. */
  async function currentToken(mark: SessionMark): Promise<string | null> {
    const running = flight.current;
    if (running) {
      try {
        await running.promise;
      } catch (error) {
        if (sharesVerdict(error, running.meta, mark)) throw error;
      }
    }
    if (!held.isRenewalDue()) return held.token;
    return refresh(held.hasExpired() ? 'expired' : 'scheduled');
  }

  /**
   * Refreshes a request already waited `REFRESH_WAIT_MS` for before going out with the token in
   * hand: when that token is rejected, nobody waits for them a second time.
   */
  const waitedOut = new WeakSet<Promise<string>>();

  async function getAccessToken(): Promise<string | null> {
    const mark = held.mark;
    try {
      return await bounded(currentToken(mark), mark);
    } catch (error) {
      if (!canKeepToken(error)) throw error;
      if (flight.current) waitedOut.add(flight.current.promise);
      return held.token;
    }
  }

  /** The token the server refused right after issuing it, and the error its requests get. */
  let refused: { token: string; error: FreshTokenRefusedError } | undefined;
  const port: SessionPort = {
    getAccessToken,
    readyAccessToken: () => (flight.current || held.isRenewalDue() ? undefined : held.token),
    async renewAfterRejection(sentWith) {
      if (refused?.token === sentWith) return sentWith;
      if (held.token === null) throw new SessionExpiredError();
      // Sent in another session: whatever this one holds belongs to someone else.
      if (!held.heldInSession(sentWith)) throw new SessionChangedError();
      const running = flight.current;
      if (running) {
        if (waitedOut.has(running.promise)) throw new RefreshFailedError();
        return bounded(running.promise);
      }
      if (held.token !== sentWith) return held.token;
      return bounded(refresh('rejected'));
    },
    expireNow: () => held.expireNow(),
    refusedAfterRenewal(token, cause) {
      if (refused?.token !== token) {
        refused = { token, error: new FreshTokenRefusedError({ cause }) };
        events.emit('token-refused', { error: refused.error });
      }
      return refused.error;
    },
  };
  return { getAccessToken, port };
}
