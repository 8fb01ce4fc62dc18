/** An error with the HTTP status, stable code and headers it maps to; the error middleware sends it. */
export class HttpError extends Error {
  override name = 'HttpError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

/** `401 invalid_grant`: the refresh token is missing, unknown, expired, revoked or reused. */
export const invalidGrant = (): HttpError =>
  new HttpError(401, 'invalid_grant', 'The session has ended. Please sign in again.');
