import type { Logger } from 'pino';
import { InvalidTokenError, type TokenService } from '../services/tokens.js';

/** What a live endpoint keeps of a token it accepted. */
export interface LiveClaims {
  sub: string;
  /** Epoch seconds. */
  exp: number;
}

/** Verifies an in-band token: its claims, `refused` (bad, expired, DPoP-bound) or `error`. */
export function checkLiveToken(
  tokens: TokenService,
  token: unknown,
  nowMs: number,
  logger: Logger,
): LiveClaims | 'refused' | 'error' {
  if (typeof token !== 'string') return 'refused';
  try {
    const claims = tokens.verify(token, nowMs);
    // Bearer only: a DPoP-bound token has no proof in band.
    return claims.jkt === undefined ? { sub: claims.sub, exp: claims.exp } : 'refused';
  } catch (error) {
    if (error instanceof InvalidTokenError) return 'refused';
    // Never a crash from a socket's message: the connection ends, the process goes on.
    logger.error({ err: error }, 'live: verifying a token failed');
    return 'error';
  }
}

/** A timer that fires at a token's expiry, moved by each new token. */
export function expiryTimer(now: () => number, onExpired: () => void) {
  let timer: NodeJS.Timeout | undefined;
  return {
    /** Fires at `exp` (epoch seconds), instead of any earlier setting. */
    at(exp: number) {
      clearTimeout(timer);
      timer = setTimeout(onExpired, Math.max(0, exp * 1000 - now()));
    },
    clear: () => clearTimeout(timer),
  };
}
