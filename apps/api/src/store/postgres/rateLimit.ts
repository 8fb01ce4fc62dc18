import type { Options, Store } from 'express-rate-limit';
import { guarded, type Pool } from './pool.js';

/**
 * Rate-limit counters in Postgres (fixed windows, as express-rate-limit's own stores count), so
 * that instances sharing one database and no Redis still count against one limit. One statement
 * per hit: an upsert that starts a new window when the old one ended.
 */
export function createPostgresLimiterStores(
  pool: Pool,
  clock: () => number = Date.now,
): (prefix: string) => Store {
  return (prefix) => {
    let windowMs = 60_000;
    const keyOf = (key: string) => `${prefix}${key}`;
    return {
      prefix,
      init: (options: Options) => {
        windowMs = options.windowMs;
      },
      increment: (key) =>
        guarded(async () => {
          const now = clock();
          const { rows } = await pool.query<{ hits: number; reset_at: number }>(
            `INSERT INTO rate_limits AS r (key, hits, reset_at) VALUES ($1, 1, $2::bigint + $3::bigint)
             ON CONFLICT (key) DO UPDATE SET
               hits = CASE WHEN r.reset_at <= $2::bigint THEN 1 ELSE r.hits + 1 END,
               reset_at = CASE WHEN r.reset_at <= $2::bigint THEN $2::bigint + $3::bigint ELSE r.reset_at END
             RETURNING hits, reset_at`,
            [keyOf(key), now, windowMs],
          );
          const row = rows[0]!;
          return { totalHits: row.hits, resetTime: new Date(row.reset_at) };
        }),
      decrement: (key) =>
        guarded(async () => {
          await pool.query('UPDATE rate_limits SET hits = GREATEST(hits - 1, 0) WHERE key = $1', [
            keyOf(key),
          ]);
        }),
      resetKey: (key) =>
        guarded(async () => {
          await pool.query('DELETE FROM rate_limits WHERE key = $1', [keyOf(key)]);
        }),
    };
  };
}

/** Deletes counters whose window ended (the purge timer calls it). */
export async function purgeRateLimits(pool: Pool, now: number): Promise<number> {
  return guarded(
    async () =>
      (await pool.query('DELETE FROM rate_limits WHERE reset_at <= $1', [now])).rowCount ?? 0,
  );
}
