import type { BrowserRecord } from './browserRecord.js';
import type { AuthChannel } from './channel.js';
import type { SessionExpiredError } from './errors.js';
import type { LockFunc } from './lock.js';
import type { Runtime } from './runtime.js';
import type { TokenStorage } from './tokenStorage.js';
import type { AuthTransport, TokenSet } from './types.js';

/** After a failed proactive refresh, try again this much later (while the token still lives). */
export const PROACTIVE_RETRY_MS = 5_000;
/** While the server is unreachable at restore, try again after these delays (the last repeats). */
export const RESTORE_RETRY_MS = [2_000, 5_000, 10_000, 30_000] as const;
/**
 * How long `logout()` waits for a refresh in flight, so that the refresh token it may still be
 * handed is revoked before `logout()` resolves (it is revoked whenever it lands either way).
 */
export const LOGOUT_FLIGHT_WAIT_MS = 10_000;

/** What `createSession` is built from. */
export interface SessionOptions<TUser, TCredentials> {
  transport: AuthTransport<TUser, TCredentials>;
  /** Where the server keeps the refresh token: a cookie, or the body (then the session holds it). @default 'cookie' */
  refreshTokenIn?: 'cookie' | 'body' | undefined;
  /** Keeps a body refresh token beyond memory, under `storageKey`. */
  storage?: TokenStorage | undefined;
  storageKey?: string | undefined;
  runtime: Runtime;
  /** Seconds before expiry to refresh proactively. */
  refreshLeewaySeconds: number;
  lock?: LockFunc | undefined;
  channel?: AuthChannel<TUser> | undefined;
  /** The browser's order of sign-ins and sign-outs, shared by its tabs. @default this tab's own */
  record?: BrowserRecord | undefined;
  onSessionExpired?: ((error: SessionExpiredError) => void) | undefined;
  /** Reads a server's session answer, for `hydrate`. @default the answer must already be a `TokenSet` */
  parseTokenResponse?: ((data: unknown) => TokenSet<TUser>) | undefined;
}
