import { AuthError } from '../session/errors.js';

/**
 * The authorization request's parameters that carry its integrity (PKCE, `state`, the client and
 * where the code goes) or its flow (`response_type`, `scope` with its own option): Tokenlane sets
 * them, and `authorizationParams` may not replace them.
 */
const RESERVED_PARAMS = [
  'client_id',
  'redirect_uri',
  'response_type',
  'scope',
  'state',
  'code_challenge',
  'code_challenge_method',
];

/** `authorizationParams`, refused with `oauth_reserved_param` if it names a reserved parameter. */
export function extraParams(params: Record<string, string> = {}): Record<string, string> {
  const reserved = RESERVED_PARAMS.find((name) => Object.hasOwn(params, name));
  if (reserved !== undefined) {
    throw new AuthError(
      'oauth_reserved_param',
      `authorizationParams may not set "${reserved}": Tokenlane sets it${reserved === 'scope' ? ' (use the scope option)' : ''}`,
    );
  }
  return params;
}
