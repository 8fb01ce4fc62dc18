import { AuthError } from './errors.js';
import type { RegisteredUser, TokenSet } from './types.js';

/** Reads Tokenlane's token response: `{ accessToken, expiresIn?, sessionExpiresIn?, user? }`. */
export function parseTokenResponse<TUser = RegisteredUser>(data: unknown): TokenSet<TUser> {
  const body = (data ?? {}) as Partial<TokenSet<TUser>>;
  if (typeof body.accessToken !== 'string' || body.accessToken === '') {
    throw new AuthError('invalid_token_response', 'No accessToken');
  }
  return {
    accessToken: body.accessToken,
    expiresIn: body.expiresIn,
    sessionExpiresIn: body.sessionExpiresIn,
    user: body.user,
  };
}
