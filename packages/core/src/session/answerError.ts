import { AuthConfigError, AuthError, AuthRequestError } from './errors.js';

/** What a transport read of an auth call's answer: enough to name the failure. */
export interface AuthAnswer {
  url: string;
  status: number;
  /** The `Content-Type` header, if any. */
  contentType: string | null | undefined;
  /** The `Retry-After` header, if any. */
  retryAfter: string | null | undefined;
  /** The parsed JSON body; `undefined` when it was not JSON. */
  body: unknown;
}

const warned = new Set<string>();

/**
 * An error answer no auth endpoint gives: 404 or 405, or an HTML page where JSON was expected (a
 * 5xx page is an outage, not a wiring error).
 */
export const isMisconfigured = (answer: AuthAnswer): boolean =>
  answer.status === 404 ||
  answer.status === 405 ||
  (answer.status < 500 && answer.body === undefined && /html/i.test(answer.contentType ?? ''));

/**
 * The error an auth call fails with: `network_error` without an answer, `AuthConfigError` for an
 * answer no auth endpoint gives (with a one-time console warning per URL outside production
 * builds), else an `AuthRequestError` with the server's `error` code (`http_<status>` when it has
 * none) and `Retry-After`.
 */
export function toAuthRequestError(answer: AuthAnswer | undefined, cause?: unknown): AuthError {
  if (cause instanceof AuthError) return cause;
  if (!answer) {
    return new AuthRequestError('network_error', 'Network error', undefined, undefined, { cause });
  }
  if (isMisconfigured(answer)) {
    const error = new AuthConfigError(answer.url, answer.status, { cause });
    if (
      typeof process === 'object' &&
      process.env.NODE_ENV !== 'production' &&
      !warned.has(answer.url)
    ) {
      warned.add(answer.url);
      console.warn(`[tokenlane] ${error.message}: see "Wire it to your server" in the README`);
    }
    return error;
  }
  const body = (answer.body ?? {}) as { error?: unknown; message?: unknown };
  const retryAfter = Number(answer.retryAfter ?? Number.NaN);
  return new AuthRequestError(
    typeof body.error === 'string' ? body.error : `http_${answer.status}`,
    typeof body.message === 'string' ? body.message : `HTTP ${answer.status}`,
    answer.status,
    Number.isFinite(retryAfter) ? retryAfter : undefined,
    { cause },
  );
}
