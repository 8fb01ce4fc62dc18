import { isAxiosError, type AxiosInstance } from 'axios';
import type { PostJson } from '../core/authCalls.js';
import { AuthError, AuthRequestError } from '../core/errors.js';

/** An axios failure as an `AuthRequestError` carrying the server's code and `Retry-After`. */
export function toAuthRequestError(error: unknown): AuthError {
  if (error instanceof AuthError) return error;
  if (!isAxiosError(error) || !error.response) {
    return new AuthRequestError('network_error', 'Network error', undefined, undefined, {
      cause: error,
    });
  }
  const { status, headers } = error.response;
  const body = (error.response.data ?? {}) as { error?: unknown; message?: unknown };
  const retryAfter = Number(headers['retry-after']);
  return new AuthRequestError(
    typeof body.error === 'string' ? body.error : `http_${status}`,
    typeof body.message === 'string' ? body.message : `HTTP ${status}`,
    status,
    Number.isFinite(retryAfter) ? retryAfter : undefined,
    { cause: error },
  );
}

/**
 * The auth calls over axios: JSON bodies, cookies sent (`withCredentials`), and the
 * `X-Requested-With` header the server's CSRF check asks for.
 */
export function createAxiosPost(http: AxiosInstance, baseURL: string): PostJson {
  return async (url, body, headers) => {
    try {
      const response = await http.post<unknown>(url, body, {
        baseURL,
        withCredentials: true,
        headers: {
          'Content-Type': 'application/json',
          'X-Requested-With': 'XMLHttpRequest',
          ...headers,
        },
      });
      return response.data;
    } catch (error) {
      throw toAuthRequestError(error);
    }
  };
}
