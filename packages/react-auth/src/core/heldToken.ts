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
}

/**
 * What a fresh token set means here: its lifetime comes from `expiresIn`, else from the JWT's
 * `exp - iat` (unknown for an opaque token); a response without a user keeps `currentUser`.
 */
export function toHeldToken<TUser>(
  set: TokenSet<TUser>,
  currentUser: TUser | null,
  nowMs: number,
): HeldToken<TUser> {
  const lifetimeMs = set.expiresIn !== undefined ? set.expiresIn * 1000 : lifetimeFromClaims();
  return {
    token: set.accessToken,
    user: set.user !== undefined ? set.user : currentUser,
    expiresAt: lifetimeMs === null ? null : nowMs + lifetimeMs,
    lifetimeMs,
    ...(set.refreshToken !== undefined && { refreshToken: set.refreshToken }),
  };

  function lifetimeFromClaims(): number | null {
    const { exp, iat } = decodeJwt(set.accessToken);
    if (exp === undefined) return null;
    if (iat === undefined) return Math.max(0, exp * 1000 - nowMs);
    // `iat` is whole seconds, rounded down: the token may have been issued up to 1 s later than
    // it says, so up to 1 s of `exp - iat` may already be gone. Count the shorter lifetime.
    return Math.max(0, (exp - iat - 1) * 1000);
  }
}
