import { absoluteURL, type WiredSession } from '../wireSession.js';
import { createAuthedFetch, ResponseAnswer, type AuthedFetch } from './authedFetch.js';

/**
 * A `fetch` on a wired session: its origins, auth endpoints, token scheme and expiry rule (the
 * app's `shouldRefresh`, else the profile's). Built only by what sends through `fetch`
 * (`createFetchClient`, `authedFetch(client)`), so an axios app does not carry the adapter.
 */
export function wiredFetch<TUser, TCredentials>(
  wired: WiredSession<TUser, TCredentials>,
): AuthedFetch {
  const { isExpired } = wired;
  return createAuthedFetch(wired.port, {
    baseURL: absoluteURL(wired.baseURL),
    allowBearer: (url) => wired.allowBearer({ url }),
    isAuthEndpoint: wired.isAuthEndpoint,
    authorization: wired.authorization,
    shouldRefresh:
      wired.shouldRefreshResponse ?? ((response) => isExpired(new ResponseAnswer(response))),
    fetch: wired.fetch,
    retryAfter: wired.retryAfter,
  });
}
