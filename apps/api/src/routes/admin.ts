import { Router } from 'express';
import type { AppContext } from '../context.js';
import { requireRole } from '../middleware/requireAuth.js';

/** `/api/admin`: `GET /stats`, admin role only. */
export function adminRoutes({ stores, now, authenticate }: AppContext): Router {
  return Router().get('/stats', authenticate, requireRole('admin'), async (_req, res) => {
    const [users, todos, activeSessions] = await Promise.all([
      stores.users.count(),
      stores.todos.count(),
      stores.refresh.countActive(now()),
    ]);
    res.json({ users, todos, activeSessions });
  });
}
