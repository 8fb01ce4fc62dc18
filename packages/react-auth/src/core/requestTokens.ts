import type { Emitter } from './emitter.js';
import { FreshTokenRefusedError, RefreshFailedError, SessionExpiredError } from './errors.js';
import type { SessionPort } from './port.js';
import { REFRESH_WAIT_MS, type FlightMeta } from './refreshFlight.js';
import type { Runtime } from './runtime.js';
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
   * behind the renewal of a live session share its verdict.
   */
  const sharesVerdict = (error: unknown, running: FlightMeta) =>
    error instanceof SessionExpiredError && running.reason !== 'restore';
  /** The server could not be reached, but the token in hand still lives: keep using it. */
  const canKeepToken = (error: unknown) =>
    error instanceof RefreshFailedError && !held.hasExpired();

  /** Waits for `renewal`, at most `REFRESH_WAIT_MS`: then `RefreshFailedError`. */
  const bounded = <T>(renewal: Promise<T>) =>
    within(runtime, renewal, REFRESH_WAIT_MS, () => Promise.reject(new RefreshFailedError()));

  /** The token to send now: after the refresh in flight, or after one it starts if one is due. */
  async function currentToken(): Promise<string | null> {
    const running = flight.current;
    if (running) {
      try {
        await running.promise;
      } catch (error) {
        if (sharesVerdict(error, running.meta)) throw error;
      }
    }
    if (!held.isRenewalDue()) return held.token;
    return refresh(held.hasExpired() ? 'expired' : 'scheduled');
  }

  async function getAccessToken(): Promise<string | null> {
    try {
      return await bounded(currentToken());
    } catch (error) {
      if (canKeepToken(error)) return held.token;
      throw error;
    }
  }

  /** The token the server refused right after issuing it, and the error its requests get. */
  let refused: { token: string; error: FreshTokenRefusedError } | undefined;
  const port: SessionPort = {
    getAccessToken,
    readyAccessToken: () => (flight.current || held.isRenewalDue() ? undefined : held.token),
    async renewAfterRejection(sentWith) {
      if (refused?.token === sentWith) return sentWith;
      const running = flight.current;
      if (running) return bounded(running.promise);
      if (held.token === null) throw new SessionExpiredError();
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
