import { Router } from 'express';

/** `GET /health`: liveness, no auth. */
export function healthRoutes(): Router {
  return Router().get('/', (_req, res) => {
    res.json({ status: 'ok' });
  });
}
