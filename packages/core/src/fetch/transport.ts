import type { PostJson } from '../session/authCalls.js';
import { toAuthRequestError } from '../session/answerError.js';
import { AuthError } from '../session/errors.js';

/**
 * The auth calls over `fetch`, no axios: JSON bodies, cookies sent with `credentials: 'include'`,
 * and the `X-Requested-With` header the server's CSRF check asks for.
 */
export function createFetchPost(
  baseURL: string,
  fetchImpl: () => typeof fetch = () => globalThis.fetch,
): PostJson {
  return async (path, body, headers) => {
    const url = new URL(path, baseURL);
    let response: Response;
    try {
      response = await fetchImpl()(url, {
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
      throw toAuthRequestError(undefined, error);
    }
    if (!response.ok) {
      const json = response.json() as Promise<unknown>;
      throw toAuthRequestError({
        url: url.toString(),
        status: response.status,
        contentType: response.headers.get('content-type'),
        retryAfter: response.headers.get('retry-after'),
        body: await json.catch(() => undefined),
      });
    }
    if (response.status === 204) return undefined;
    // A proxy's HTML page where JSON was expected: the answer holds no token.
    return (response.json() as Promise<unknown>).catch((error: unknown) => {
      throw new AuthError('invalid_token_response', 'The answer is not JSON', { cause: error });
    });
  };
}
