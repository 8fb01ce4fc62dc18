import type { AuthEndpoints } from '../core/endpoints.js';
import { AuthError, AuthRequestError } from '../core/errors.js';
import type { AuthTransport, TokenSet } from '../core/types.js';

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
 * Login, refresh and logout over `fetch`, no axios: JSON bodies, the refresh cookie sent with
 * `credentials: 'include'`, and the `X-Requested-With` header the server's CSRF check asks for.
 */
export function createFetchTransport<TUser>(
  baseURL: string,
  endpoints: AuthEndpoints,
  parse: (data: unknown) => TokenSet<TUser>,
  fetchImpl: () => typeof fetch = () => globalThis.fetch,
): AuthTransport<TUser> {
  const post = async (path: string, body: object = {}): Promise<unknown> => {
    let response: Response;
    try {
      response = await fetchImpl()(new URL(path, baseURL), {
        method: 'POST',
        credentials: 'include',
        headers: { 'Content-Type': 'application/json', 'X-Requested-With': 'XMLHttpRequest' },
        body: JSON.stringify(body),
      });
    } catch (error) {
      if (error instanceof AuthError) throw error;
      throw new AuthRequestError('network_error', 'Network error', undefined, undefined, {
        cause: error,
      });
    }
    if (!response.ok) throw await toAuthRequestError(response);
    return response.status === 204 ? undefined : response.json();
  };
  return {
    login: async (credentials) => parse(await post(endpoints.login, credentials)),
    refresh: async () => parse(await post(endpoints.refresh)),
    logout: async () => void (await post(endpoints.logout)),
  };
}
