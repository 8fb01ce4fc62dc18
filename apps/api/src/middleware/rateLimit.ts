import type { RequestHandler } from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';

/** The window of the failed-login limit. */
export const LOGIN_WINDOW_MS = 60_000;

/**
 * Limits failed logins per (email, IP) to `limit` a minute; successful logins are not counted.
 * Past the limit: 429 `rate_limited` with `Retry-After`.
 */
export function loginRateLimit(limit: number): RequestHandler {
  return rateLimit({
    windowMs: LOGIN_WINDOW_MS,
    limit,
    skipSuccessfulRequests: true,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    keyGenerator: (req) => {
      const body: unknown = req.body;
      const email =
        typeof body === 'object' &&
        body !== null &&
        'email' in body &&
        typeof body.email === 'string'
          ? body.email.trim().toLowerCase()
          : '';
      return `${email}|${ipKeyGenerator(req.ip ?? '')}`;
    },
    handler: (_req, res, _next, options) => {
      res.status(options.statusCode).json({
        error: 'rate_limited',
        message: 'Too many failed sign-in attempts. Try again in a minute.',
      });
    },
  });
}
