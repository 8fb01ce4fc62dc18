// Auth calls made as a browser makes them, for tests that talk to an API over HTTP.
import { request, type Agent, type IncomingHttpHeaders } from 'node:http';

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

/** A status and the headers of an answer whose body was read and dropped. */
export interface PostAnswer {
  status: number;
  headers: IncomingHttpHeaders;
}

/**
 * A JSON `POST` over `agent` from `localAddress` (`127.0.0.2`, ... play other client IPs on
 * loopback), for load tests and benchmarks: the body is read and dropped.
 */
export function postFrom(
  url: string,
  body: string,
  agent: Agent,
  localAddress = '127.0.0.1',
): Promise<PostAnswer> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        agent,
        localAddress,
        headers: {
          'Content-Type': 'application/json',
          'X-Requested-With': 'load-test',
          'Content-Length': Buffer.byteLength(body),
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}
