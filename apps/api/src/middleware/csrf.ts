import type { RequestHandler } from 'express';
import { HttpError } from '../errors.js';

const JSON_TYPE = /^application\/json\s*(;|$)/i;

/**
 * CSRF defence for cookie-authenticated endpoints: a JSON content type (no simple form post),
 * a custom header (forces a CORS preflight), an allowed `Origin` when present, and no
 * `Sec-Fetch-Site: cross-site`.
 */
export function csrf(allowedOrigins: readonly string[]): RequestHandler {
  const allowed = new Set(allowedOrigins);
  return (req, _res, next) => {
    if (!JSON_TYPE.test(req.headers['content-type'] ?? '')) {
      throw new HttpError(415, 'unsupported_media_type', 'Content-Type must be application/json');
    }
    if (!req.headers['x-requested-with']) {
      throw new HttpError(403, 'csrf', 'The X-Requested-With header is required');
    }
    const origin = req.headers.origin;
    if (origin !== undefined && !allowed.has(origin)) {
      throw new HttpError(403, 'csrf', 'This origin is not allowed');
    }
    if (req.headers['sec-fetch-site'] === 'cross-site') {
      throw new HttpError(403, 'csrf', 'Cross-site requests are not allowed');
    }
    next();
  };
}
