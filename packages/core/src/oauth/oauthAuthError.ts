import * as oauth from 'oauth4webapi';
import { AuthError, AuthRequestError } from '../session/errors.js';

/** An oauth4webapi failure as the `AuthRequestError` the session understands. */
export function oauthAuthError(error: unknown): AuthError {
  if (error instanceof AuthError) return error;
  if (error instanceof oauth.ResponseBodyError) {
    // invalid_grant (a revoked, expired or reused refresh token) is a 400: a refusal.
    return new AuthRequestError(
      error.error,
      error.error_description ?? error.error,
      error.status,
      undefined,
      {
        cause: error,
      },
    );
  }
  if (error instanceof oauth.WWWAuthenticateChallengeError) {
    return new AuthRequestError('invalid_client', error.message, error.status, undefined, {
      cause: error,
    });
  }
  if (error instanceof oauth.OperationProcessingError) {
    // A body that is not a token answer (an HTML error page, `{}`): no verdict, retried.
    const status = error.cause instanceof Response ? error.cause.status : undefined;
    return new AuthRequestError(
      'invalid_token_response',
      error.message,
      status === 200 ? undefined : status,
      undefined,
      {
        cause: error,
      },
    );
  }
  return new AuthRequestError('network_error', 'Network error', undefined, undefined, {
    cause: error,
  });
}
