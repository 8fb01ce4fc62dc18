import type { AxiosError } from 'axios';
import { isExpiryAnswer } from '@tokenlane/core/adapter';

/**
 * The default expiry test (RFC 6750): a 401 whose `WWW-Authenticate` names `invalid_token`, or a
 * 401 without that header. A 403 (`insufficient_scope`) is never expiry.
 */
export function defaultShouldRefresh(error: AxiosError): boolean {
  return isExpiryAnswer({
    status: error.response?.status,
    challenge: error.response?.headers['www-authenticate'],
  });
}
