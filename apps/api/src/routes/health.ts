import { Router } from 'express';
import type { Stores } from '../store/types.js';

/** How long one store gets to answer a health check. */
export const HEALTH_TIMEOUT_MS = 2_000;

/** `up` or `down`, per configured store. */
export type StoreHealth = Record<string, 'up' | 'down'>;

/** Asks every store at once; a store that errs or takes longer than the timeout is `down`. */
export async function checkStores(probes: Stores['probes']): Promise<StoreHealth> {
  const names = Object.keys(probes);
  const results = await Promise.all(
    names.map(async (name) => {
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error('timeout')), HEALTH_TIMEOUT_MS);
      });
      try {
        await Promise.race([probes[name]!(), late]);
        return 'up' as const;
      } catch {
        return 'down' as const;
      } finally {
        clearTimeout(timer);
      }
    }),
  );
  return Object.fromEntries(names.map((name, i) => [name, results[i]!]));
}

/**
 * `GET /health`, no auth: 200 `{ status: 'ok', stores }` when every configured store answers,
 * else 503 `{ status: 'unavailable', stores }` naming the one that is down (no address, no
 * secret: only the kind of store).
 */
export function healthRoutes(probes: Stores['probes']): Router {
  return Router().get('/', async (_req, res) => {
    const stores = await checkStores(probes);
    const ok = Object.values(stores).every((state) => state === 'up');
    res.set('Cache-Control', 'no-store');
    res.status(ok ? 200 : 503).json({ status: ok ? 'ok' : 'unavailable', stores });
  });
}
