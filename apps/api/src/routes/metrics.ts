import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { HttpError } from '../errors.js';
import type { Metrics } from '../services/metrics.js';

const digest = (value: string) => createHash('sha256').update(value).digest();

/**
 * `GET /metrics` behind `Authorization: Bearer <METRICS_TOKEN>` (compared in constant time):
 * 401 `invalid_token` without it. Prometheus's `bearer_token_file` sends it.
 */
export function metricsRoute(token: string, metrics: Metrics): RequestHandler {
  const expected = digest(token);
  return (req, res, next) => {
    const presented = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '')?.[1];
    if (presented === undefined || !timingSafeEqual(digest(presented), expected)) {
      throw new HttpError(401, 'invalid_token', 'The metrics token is missing or wrong', {
        'WWW-Authenticate': 'Bearer realm="metrics"',
      });
    }
    metrics.registry.metrics().then((text) => {
      res.set('Content-Type', metrics.registry.contentType).set('Cache-Control', 'no-store');
      res.send(text);
    }, next);
  };
}
