import type { RequestHandler } from 'express';
import type { Logger } from 'pino';

/**
 * One log line per request: method, path (never the query string, which could carry a token),
 * status and duration. Headers and bodies are not logged.
 */
export function requestLog(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      logger.info(
        {
          method: req.method,
          // The full path: `req.path` is relative to the router that handled the request.
          path: req.originalUrl.split('?')[0],
          status: res.statusCode,
          ms: Math.round(ms * 10) / 10,
        },
        'request',
      );
    });
    next();
  };
}
