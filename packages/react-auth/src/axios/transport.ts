import { isAxiosError, type AxiosInstance } from 'axios';
import { AuthError, AuthRequestError } from '../core/errors.js';
import type { AuthEndpoints } from '../core/endpoints.js';
import type { AuthTransport, TokenSet } from '../core/types.js';

/** Turns an axios failure into an `AuthRequestError` carrying the server's error code. */
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
 * Login, refresh and logout over axios: JSON bodies, the refresh cookie sent with credentials,
 * and the `X-Requested-With` header the server's CSRF check asks for.
 */
export function createAxiosTransport<TUser>(
  http: AxiosInstance,
  baseURL: string,
  endpoints: AuthEndpoints,
  parse: (data: unknown) => TokenSet<TUser>,
): AuthTransport<TUser> {
  const post = async (url: string, body: object = {}) => {
    try {
      const response = await http.post<unknown>(url, body, {
        baseURL,
        withCredentials: true,
        headers: { 'Content-Type': 'application/json', 'X-Requested-With': 'XMLHttpRequest' },
      });
      return response.data;
    } catch (error) {
      throw toAuthRequestError(error);
    }
  };
  return {
    login: async (credentials) => parse(await post(endpoints.login, credentials)),
    refresh: async () => parse(await post(endpoints.refresh)),
    logout: async () => void (await post(endpoints.logout)),
  };
}
