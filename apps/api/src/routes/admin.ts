import { Router } from 'express';
import type { AppContext } from '../context.js';
import { requireRole } from '../middleware/requireAuth.js';
import { requireRecentAuth } from '../middleware/requireRecentAuth.js';

/** `/api/admin`: `GET /stats`, admin role only, with a login at most `STEP_UP_MAX_AGE` old. */
export function adminRoutes({ config, stores, now, authenticate }: AppContext): Router {
  const recent = requireRecentAuth(config.stepUpMaxAgeSeconds, now);
  return Router().get('/stats', authenticate, requireRole('admin'), recent, async (_req, res) => {
    const [users, todos, activeSessions] = await Promise.all([
      stores.users.count(),
      stores.todos.count(),
      stores.refresh.countActive(now()),
    ]);
    res.json({ users, todos, activeSessions });
  });
}
