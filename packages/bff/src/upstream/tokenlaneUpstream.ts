import { BffError } from '../errors.js';
import { UpstreamAnswer, type Upstream, type UpstreamGrant } from './types.js';

/** Options of `tokenlaneUpstream`. */
export interface TokenlaneUpstreamOptions {
  /** The API's URL; its auth calls are under `/auth`. */
  baseURL: string;
  /** Milliseconds a refresh or logout call may take. @default 10_000 */
  timeoutMs?: number;
  /**
   * Milliseconds a login may take: longer, as the API hashes the password (scrypt) and queues
   * the hashes of one client, and every login through the BFF comes from the BFF. @default 30_000
   */
  loginTimeoutMs?: number;
}

/** The API's refresh cookie: the BFF keeps its value instead of the browser. */
const REFRESH_COOKIE = 'tokenlane_rt';

interface TokenAnswer {
  accessToken: string;
  expiresIn?: number;
  sessionExpiresIn?: number;
  user?: { id: string | number } & Record<string, unknown>;
}

/**
 * The Tokenlane API as the BFF's upstream: login by a JSON post of the credentials the page sent,
 * the refresh token taken from the API's `Set-Cookie` and kept (sealed) by the BFF, renewal and
 * logout presenting it as the cookie the API expects. The API's rotation, reuse detection and
 * recovery of lost answers apply as for a browser.
 */
export function tokenlaneUpstream(options: TokenlaneUpstreamOptions): Upstream {
  const base = options.baseURL.endsWith('/') ? options.baseURL : `${options.baseURL}/`;
  const post = async (
    path: string,
    body: unknown,
    refreshToken?: string,
    timeoutMs = options.timeoutMs ?? 10_000,
  ) => {
    try {
      return await fetch(new URL(path, base), {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          'X-Requested-With': 'XMLHttpRequest',
          ...(refreshToken && { Cookie: `${REFRESH_COOKIE}=${refreshToken}` }),
        },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      throw new BffError('upstream_unavailable', 'The API did not answer', { cause: error });
    }
  };
  const grantOf = async (response: Response): Promise<UpstreamGrant> => {
    const answer = (await response.json().catch(() => undefined)) as TokenAnswer | undefined;
    if (typeof answer?.accessToken !== 'string') {
      throw new BffError('upstream_unavailable', 'The API answered without a token');
    }
    const cookie = response.headers
      .getSetCookie()
      .map((line) => line.split(';')[0]!)
      .find((pair) => pair.startsWith(`${REFRESH_COOKIE}=`));
    const { user } = answer;
    return {
      tokens: {
        accessToken: answer.accessToken,
        expiresIn: answer.expiresIn ?? 60,
        refreshToken: cookie?.slice(REFRESH_COOKIE.length + 1) || undefined,
        refreshExpiresIn: answer.sessionExpiresIn,
      },
      user: user && { claims: user, subject: String(user.id) },
    };
  };
  return {
    login: 'password',
    async passwordLogin(credentials) {
      const response = await post(
        'auth/login',
        credentials,
        undefined,
        options.loginTimeoutMs ?? 30_000,
      );
      if (!response.ok) {
        if (response.status >= 500) throw new BffError('upstream_unavailable', 'The API failed');
        throw new UpstreamAnswer(response.status, await response.json().catch(() => undefined));
      }
      return grantOf(response);
    },
    async refresh(tokens) {
      if (!tokens.refreshToken) throw new BffError('upstream_refused', 'No refresh token');
      const response = await post('auth/refresh', {}, tokens.refreshToken);
      if (response.status === 401) {
        await response.body?.cancel();
        throw new BffError('upstream_refused', `The API refused the refresh (${response.status})`);
      }
      if (!response.ok) {
        await response.body?.cancel();
        throw new BffError('upstream_unavailable', `The API answered ${response.status}`);
      }
      return grantOf(response);
    },
    async revoke(tokens) {
      const response = await post('auth/logout', {}, tokens.refreshToken);
      await response.body?.cancel();
    },
    authorization: (tokens) => Promise.resolve({ Authorization: `Bearer ${tokens.accessToken}` }),
  };
}
