import * as oauth from 'oauth4webapi';
import { BffError } from '../errors.js';

/**
 * An oauth4webapi failure as the BFF's error: `invalid_grant` (and `unauthorized_client`) from the
 * token endpoint is a refusal that ends the session; anything else (no answer, 5xx, a malformed
 * answer) leaves the session as it was.
 */
export function upstreamError(error: unknown): BffError {
  if (error instanceof BffError) return error;
  if (error instanceof oauth.ResponseBodyError && error.status < 500) {
    if (error.error === 'invalid_grant' || error.error === 'unauthorized_client') {
      return new BffError('upstream_refused', `The provider refused the grant (${error.error})`);
    }
  }
  return new BffError('upstream_unavailable', 'The provider did not answer usefully', {
    cause: error,
  });
}
