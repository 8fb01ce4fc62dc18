import { AuthError } from './errors.js';
import type { ServerProfile } from './serverProfile.js';
import type { LoginCredentials, RegisteredUser, TokenSet } from './types.js';

/**
 * What the session holds in BFF mode instead of an access token: a mark, never a credential (the
 * token stays in the BFF). Requests carry the session cookie and the custom header instead.
 */
export const BFF_SESSION = 'bff-session';

/** Options of `bffServer`. */
export interface BffServerOptions {
  /** Where the BFF's endpoints are, on this origin. @default '/bff' */
  basePath?: string;
}

/** A 401 that asks for a newer sign-in (step-up): not an end of the session. */
const STEP_UP = /insufficient_user_authentication/i;

const seconds = (value: unknown) => (typeof value === 'number' ? value : undefined);

/**
 * A backend for frontend (`@tokenlane/bff`): the browser holds no token. The session's "refresh"
 * is the BFF's check-session call (the BFF refreshes upstream itself), login posts credentials to
 * the BFF (the Tokenlane upstream) or navigates to `bffLoginUrl()` (an OpenID Connect provider),
 * and every request sends the session cookie and `X-Requested-With` instead of `Authorization`.
 * A 401 from the BFF (its session ended, or the upstream refused it) makes the session ask the
 * BFF again; `no_session` signs out every tab.
 */
export function bffServer<TUser = RegisteredUser, TCredentials = LoginCredentials>(
  options: BffServerOptions = {},
): ServerProfile<TUser, TCredentials> {
  const base = (options.basePath ?? '/bff').replace(/\/+$/, '');
  return {
    endpoints: { login: `${base}/login`, refresh: `${base}/session`, logout: `${base}/logout` },
    refreshToken: 'cookie',
    loginBody: (credentials) => credentials,
    refreshBody: () => ({}),
    logoutBody: () => ({}),
    parseTokenResponse: (data): TokenSet<TUser> => {
      const body = (data ?? {}) as Record<string, unknown>;
      if (typeof body.user !== 'object' || body.user === null) {
        throw new AuthError('invalid_token_response', 'No user in the BFF answer');
      }
      return {
        accessToken: BFF_SESSION,
        // Ask the BFF again when the session would end (it refreshes upstream on its own).
        expiresIn: seconds(body.expiresIn),
        sessionExpiresIn: seconds(body.sessionExpiresIn),
        user: body.user as TUser,
      };
    },
    authorization: () => ['X-Requested-With', 'XMLHttpRequest'],
    isExpired: ({ status, challenge }) => status === 401 && !STEP_UP.test(challenge ?? ''),
  };
}

/**
 * The URL that starts a login through the BFF by navigation (an OpenID Connect upstream):
 * `location.assign(bffLoginUrl({ returnTo: location.pathname }))`. `maxAge` asks the provider for a
 * sign-in at most that many seconds old (step-up).
 */
export function bffLoginUrl(
  options: { returnTo?: string; maxAge?: number; basePath?: string } = {},
): string {
  const params = new URLSearchParams();
  if (options.returnTo) params.set('returnTo', options.returnTo);
  if (options.maxAge !== undefined) params.set('maxAge', String(options.maxAge));
  const query = params.toString();
  return `${(options.basePath ?? '/bff').replace(/\/+$/, '')}/login${query ? `?${query}` : ''}`;
}
