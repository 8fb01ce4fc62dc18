import { decodeJwt } from './jwt.js';
import type { TokenSet } from './types.js';

/** An access token as the session holds it, and as tabs hand it to each other. */
export interface HeldToken<TUser> {
  token: string;
  user: TUser | null;
  /** Epoch ms on this machine's clock; `null` when the lifetime is unknown. */
  expiresAt: number | null;
  lifetimeMs: number | null;
  /** A refresh token handed in the body, when the answer had one (a new one replaces the old). */
  refreshToken?: string | undefined;
  /** When the session ends (epoch ms on this machine's clock), if the server said. */
  sessionEndsAt?: number | undefined;
  /** The end is a timestamp the server wrote (a JWT's `exp`), not a duration counted on arrival. */
  endExact?: boolean | undefined;
  /** Its place among its session's renewals (see `TokenHolder.stamp`): a newer token has a larger one. */
  at?: number | undefined;
  /** Its session: the sign-in (or sign-out) count it came after, and the session's id. */
  seq?: number | undefined;
  sid?: string | null | undefined;
}

/**
 * How far an answer's session end may fall from the end the session knows and still be the same
 * end: answers say it in whole seconds rounded down (up to 1 s early) and arrive after a round trip
 * (late by its latency, seconds on a slow network). Beyond these, the end moved (a sliding lifetime,
 * a server that shortened it).
 */
export const SESSION_END_DRIFT_MS = { earlier: 2_000, later: 30_000 } as const;

/**
 * The session's end after an answer: the one it knows (`known`, the same in every tab, told once)
 * unless `told` moved it beyond the drift of rounding and latency, or is `exact` (a timestamp).
 */
export function sessionEnd(
  known: number | null,
  told: number | null,
  exact = false,
): number | null {
  if (known === null || told === null || exact) return told ?? known;
  const moved =
    told < known - SESSION_END_DRIFT_MS.earlier || told > known + SESSION_END_DRIFT_MS.later;
  return moved ? told : known;
}

/**
 * Lifetimes come in whole seconds, stamped from a server clock rounded down: up to 1 s of one may
 * be gone when it arrives. The session counts on the rest (a quarter less, for tokens shorter
 * than 4 s), so that a short-lived token is renewed before the server stops taking it.
 */
const usable = (lifetimeMs: number) => lifetimeMs - Math.min(1000, lifetimeMs / 4);

/**
 * What a fresh token set means here: its lifetime comes from `expiresIn`, else from the JWT's
 * claims (unknown for an opaque token); a response without a user keeps `currentUser`.
 */
export function toHeldToken<TUser>(
  set: TokenSet<TUser>,
  currentUser: TUser | null,
  nowMs: number,
): HeldToken<TUser> {
  const lifetimeMs =
    set.expiresIn !== undefined ? usable(set.expiresIn * 1000) : lifetimeFromClaims();
  // Said by the answer, else by a refresh token that is a JWT (simplejwt's: its `exp`).
  const endsInMs =
    set.sessionExpiresIn ??
    (set.refreshToken === undefined ? undefined : decodeJwt(set.refreshToken).exp);
  return {
    token: set.accessToken,
    user: set.user !== undefined ? set.user : currentUser,
    expiresAt: lifetimeMs === null ? null : nowMs + lifetimeMs,
    lifetimeMs,
    ...(set.refreshToken !== undefined && { refreshToken: set.refreshToken }),
    ...(endsInMs !== undefined &&
      (set.sessionExpiresIn === undefined
        ? { sessionEndsAt: endsInMs * 1000, endExact: true }
        : { sessionEndsAt: nowMs + endsInMs * 1000 })),
  };

  function lifetimeFromClaims(): number | null {
    const { exp, iat } = decodeJwt(set.accessToken);
    if (exp === undefined) return null;
    const untilExp = Math.max(0, exp * 1000 - nowMs);
    if (iat === undefined) return untilExp;
    // `exp - iat` does not depend on this machine's clock agreeing with the server's, but some
    // servers copy an older `iat` into renewed tokens (simplejwt copies the refresh token's);
    // `exp - now` is right when the clocks agree. The shorter of the two is the safe one.
    return Math.min(usable((exp - iat) * 1000), untilExp);
  }
}
