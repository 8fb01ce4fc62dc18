import type { PostJson } from '../core/authCalls.js';
import { AuthError, AuthRequestError } from '../core/errors.js';

/** An error answer as an `AuthRequestError` carrying the server's code and `Retry-After`. */
async function toAuthRequestError(response: Response): Promise<AuthRequestError> {
  const body = (await response.json().catch(() => ({}))) as { error?: unknown; message?: unknown };
  const retryAfter = Number(response.headers.get('retry-after') ?? Number.NaN);
  return new AuthRequestError(
    typeof body.error === 'string' ? body.error : `http_${response.status}`,
    typeof body.message === 'string' ? body.message : `HTTP ${response.status}`,
    response.status,
    Number.isFinite(retryAfter) ? retryAfter : undefined,
  );
}

/**
 * The auth calls over `fetch`, no axios: JSON bodies, cookies sent with `credentials: 'include'`,
 * and the `X-Requested-With` header the server's CSRF check asks for.
 */
export function createFetchPost(
  baseURL: string,
  fetchImpl: () => typeof fetch = () => globalThis.fetch,
): PostJson {
  return async (path, body, headers) => {
    let response: Response;
    try {
      response = await fetchImpl()(new URL(path, baseURL), {
        method: 'POST',
        credentials: 'include',
        headers: {
          'Content-Type': 'application/json',
          'X-Requested-With': 'XMLHttpRequest',
          ...headers,
        },
        body: JSON.stringify(body ?? {}),
      });
    } catch (error) {
      if (error instanceof AuthError) throw error;
      throw new AuthRequestError('network_error', 'Network error', undefined, undefined, {
        cause: error,
      });
    }
    if (!response.ok) throw await toAuthRequestError(response);
    if (response.status === 204) return undefined;
    // A proxy's HTML page where JSON was expected: the answer holds no token.
    return (response.json() as Promise<unknown>).catch((error: unknown) => {
      throw new AuthError('invalid_token_response', 'The answer is not JSON', { cause: error });
    });
  };
}
