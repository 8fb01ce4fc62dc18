import * as oauth from 'oauth4webapi';
import type { IssuedTokens, UpstreamGrant } from './types.js';

/** ID token claims about the token itself, not the user: never handed to the page. */
const TOKEN_CLAIMS = [
  'iss',
  'aud',
  'exp',
  'iat',
  'nbf',
  'nonce',
  'at_hash',
  'c_hash',
  'azp',
  'jti',
];

const tokensOf = (result: oauth.TokenEndpointResponse): IssuedTokens => {
  const endsIn = result.refresh_expires_in;
  return {
    accessToken: result.access_token,
    expiresIn: result.expires_in ?? 300,
    refreshToken: result.refresh_token,
    refreshExpiresIn: typeof endsIn === 'number' && endsIn > 0 ? endsIn : undefined,
    idToken: result.id_token,
  };
};

/**
 * A token endpoint's answer (oauth4webapi has checked it, the ID token included) as a grant:
 * the tokens, and the user from the ID token's claims when it has one.
 */
export function grantOf(result: oauth.TokenEndpointResponse): UpstreamGrant {
  const claims = result.id_token ? oauth.getValidatedIdTokenClaims(result) : undefined;
  const grant: UpstreamGrant = { tokens: tokensOf(result) };
  if (claims) {
    const { sub, sid } = claims as { sub: string; sid?: unknown };
    const user = Object.fromEntries(
      Object.entries(claims).filter(([name]) => !TOKEN_CLAIMS.includes(name)),
    );
    grant.user = { claims: user, subject: sub, sid: typeof sid === 'string' ? sid : undefined };
  }
  return grant;
}
