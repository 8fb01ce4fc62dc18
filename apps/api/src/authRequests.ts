// Auth calls made as a browser makes them, for tests that talk to an API over HTTP.

/** A `POST /auth/*` as a browser would send it, with the refresh cookie when given. */
export const postAuth = (url: string, cookie?: string, body: unknown = {}) =>
  fetch(url, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      'X-Requested-With': 'fetch',
      ...(cookie ? { Cookie: `tokenlane_rt=${cookie}` } : {}),
    },
    body: JSON.stringify(body),
  });

/** The `tokenlane_rt` value a fetch response set, if any. */
export const refreshCookieFrom = (res: Response) =>
  res.headers
    .getSetCookie()
    .find((cookie) => cookie.startsWith('tokenlane_rt='))
    ?.split(';')[0]
    ?.slice('tokenlane_rt='.length);
