import axios, { isAxiosError, type AxiosInstance } from 'axios';
import { type PostJson, toAuthRequestError } from '@tokenlane/core/adapter';
import type { AuthError } from '@tokenlane/core';

/** An axios failure as the error an auth call fails with (see `toAuthRequestError`). */
export function axiosAuthError(error: unknown): AuthError {
  if (!isAxiosError(error) || !error.response) return toAuthRequestError(undefined, error);
  const { status, headers } = error.response;
  const data: unknown = error.response.data;
  return toAuthRequestError(
    {
      url: error.config ? axios.getUri(error.config) : '',
      status,
      contentType: String(headers['content-type'] ?? ''),
      retryAfter: headers['retry-after'] as string | undefined,
      body: typeof data === 'object' && data !== null ? data : undefined,
    },
    error,
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
      throw axiosAuthError(error);
    }
  };
}
