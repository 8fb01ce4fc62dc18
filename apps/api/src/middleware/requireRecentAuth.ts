import type { RequestHandler } from 'express';
import { HttpError } from '../errors.js';

/**
 * Step-up (RFC 9470): the route needs a login at most `maxAgeS` seconds old. A verified token
 * whose `auth_time` is older (or absent) is answered `401 insufficient_user_authentication` with
 * `max_age`, in the scheme it came with: the client asks the user to sign in again and retries.
 * Goes after `requireAuth`. A refresh keeps its login's `auth_time`: only a login renews it.
 */
export function requireRecentAuth(maxAgeS: number, now: () => number): RequestHandler {
  return (req, _res, next) => {
    const authTime = req.auth?.authTime;
    if (authTime === undefined || Math.floor(now() / 1000) - authTime > maxAgeS) {
      const scheme = req.auth?.jkt === undefined ? 'Bearer' : 'DPoP';
      throw new HttpError(
        401,
        'insufficient_user_authentication',
        'A more recent authentication is required',
        {
          'WWW-Authenticate': `${scheme} error="insufficient_user_authentication", error_description="A more recent authentication is required", max_age="${maxAgeS}"`,
        },
      );
    }
    next();
  };
}
