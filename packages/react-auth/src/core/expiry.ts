/**
 * The expiry rule of RFC 6750, shared by every transport: a 401 whose `WWW-Authenticate` names
 * `invalid_token`, or a 401 without that header. A 403 (`insufficient_scope`) is never expiry.
 */
export function isExpiryAnswer(status: number | undefined, challenge: unknown): boolean {
  if (status !== 401) return false;
  return typeof challenge !== 'string' || /error="?invalid_token/i.test(challenge);
}
