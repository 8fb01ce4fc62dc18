import type { ServerProfile } from './serverProfile.js';
import type { AuthTransport, TokenSet } from './types.js';

/**
 * Sends a JSON body to an auth endpoint, with extra `headers` if given (a refresh's
 * `traceparent`), and resolves with the parsed answer (`undefined` for 204).
 */
export type PostJson = (
  path: string,
  body: unknown,
  headers?: Record<string, string>,
) => Promise<unknown>;

/**
 * The session's three calls for a profile, over any transport: the profile says what to send and
 * how to read the answer, `post` sends it (axios or fetch).
 */
export function createAuthCalls<TUser, TCredentials>(
  profile: ServerProfile<TUser, TCredentials>,
  endpoints: ServerProfile<TUser, TCredentials>['endpoints'],
  parse: (data: unknown) => TokenSet<TUser>,
  post: PostJson,
): AuthTransport<TUser, TCredentials> {
  return {
    login: async (credentials) =>
      parse(await post(endpoints.login, profile.loginBody(credentials))),
    refresh: async (refreshToken, headers) =>
      parse(await post(endpoints.refresh, profile.refreshBody(refreshToken), headers)),
    async logout(refreshToken) {
      if (endpoints.logout) await post(endpoints.logout, profile.logoutBody(refreshToken));
    },
  };
}
