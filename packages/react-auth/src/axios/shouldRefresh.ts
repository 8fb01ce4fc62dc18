import type { AxiosError } from 'axios';

/**
 * The default expiry test (RFC 6750): a 401 whose `WWW-Authenticate` names `invalid_token`, or a
 * 401 without that header. A 403 (`insufficient_scope`) is never expiry.
 */
export function defaultShouldRefresh(error: AxiosError): boolean {
  if (error.response?.status !== 401) return false;
  const challenge: unknown = error.response.headers['www-authenticate'];
  return typeof challenge !== 'string' || /error="?invalid_token/i.test(challenge);
}
