/**
 * The expiry rule of RFC 6750, shared by every transport: a 401 whose `WWW-Authenticate` names
 * `invalid_token`, or a 401 without that header. A 403 (`insufficient_scope`) is never expiry.
 */
export function isExpiryAnswer(answer: {
  status: number | undefined;
  challenge: unknown;
}): boolean {
  // The challenge is read only for a 401 (`client.fetch` reads the header only when asked).
  if (answer.status !== 401) return false;
  const { challenge } = answer;
  return typeof challenge !== 'string' || /error="?invalid_token/i.test(challenge);
}
