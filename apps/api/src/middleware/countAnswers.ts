import type { RequestHandler } from 'express';
import type { Metrics } from '../services/metrics.js';

/** Counts, as each answer goes out, the logins by outcome and the refusals by rate limit. */
export function countAnswers(metrics: Pick<Metrics, 'login' | 'limited'>): RequestHandler {
  return (req, res, next) => {
    res.on('finish', () => {
      if (req.method === 'POST' && req.originalUrl.split('?')[0] === '/auth/login') {
        metrics.login(res.statusCode);
      }
      const limiter: unknown = res.locals.limiter;
      if (typeof limiter === 'string') metrics.limited(limiter);
    });
    next();
  };
}
