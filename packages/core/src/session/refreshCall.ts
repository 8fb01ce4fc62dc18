import {
  AuthConfigError,
  AuthRequestError,
  RefreshFailedError,
  SessionChangedError,
  SessionExpiredError,
} from './errors.js';
import type { TokenSet } from './types.js';

/** Pauses between refresh attempts after a network error or 5xx; then `RefreshFailedError`. */
export const REFRESH_RETRY_DELAYS_MS = [250, 750, 1_500] as const;

/** Statuses with which a refresh endpoint refuses to renew the session. */
const REFUSAL_STATUSES: readonly number[] = [400, 401, 403];

/** The server gave its verdict: this session cannot be renewed (no retry can change that). */
export const isRefusal = (error: unknown): error is AuthRequestError =>
  error instanceof AuthRequestError && REFUSAL_STATUSES.includes(error.status ?? 0);

/**
 * One refresh call, retried after `REFRESH_RETRY_DELAYS_MS` on network errors and 5xx, never on
 * a refusal nor on a misconfigured endpoint. Rejects with `SessionExpiredError` (refused) or
 * `RefreshFailedError` (no verdict; its `cause` an `AuthConfigError` when the endpoint is
 * misconfigured).
 */
export async function refreshWithBackoff<TUser>(
  refresh: () => Promise<TokenSet<TUser>>,
  wait: (ms: number) => Promise<void>,
): Promise<TokenSet<TUser>> {
  for (const delay of [...REFRESH_RETRY_DELAYS_MS, undefined]) {
    try {
      return await refresh();
    } catch (error) {
      if (isRefusal(error)) throw new SessionExpiredError({ cause: error });
      if (delay === undefined || error instanceof AuthConfigError)
        throw new RefreshFailedError({ cause: error });
      await wait(delay);
    }
  }
  // Unreachable: the last attempt either returns or throws.
  throw new RefreshFailedError();
}

/** Any failure of a refresh, as one of the three errors a refresh rejects with. */
export const toRefreshError = (
  error: unknown,
): SessionExpiredError | RefreshFailedError | SessionChangedError =>
  error instanceof SessionExpiredError ||
  error instanceof RefreshFailedError ||
  error instanceof SessionChangedError
    ? error
    : new RefreshFailedError({ cause: error });
