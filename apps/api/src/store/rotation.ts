import type { RefreshFamily } from './types.js';

/** A refresh family as the SQL stores keep it (one row; times in epoch milliseconds). */
export interface FamilyRow {
  id: string;
  user_id: string;
  current_hash: string;
  current_sealed: string | null;
  parent_hash: string | null;
  rotated_at: number | null;
  expires_at: number;
  created_at: number;
  revoked_at: number | null;
}

export const toFamily = (row: FamilyRow): RefreshFamily => ({
  id: row.id,
  userId: row.user_id,
  expiresAt: row.expires_at,
  createdAt: Number(row.created_at),
});

/**
 * What presenting `tokenHash` to its family (`row`, read under the store's lock) does: `rotate`
 * the newest token; accept its immediate parent within the grace window (`grace`, nothing
 * changes); `reuse` for anything older (the family is to be revoked); `invalid` for an unknown,
 * expired or revoked family. The SQLite store then writes what `rotate` and `reuse` mean; the
 * Postgres store's `tokenlane_rotate` (migration 3) and the Redis store's script are this rule in
 * SQL and Lua, held to it by the same contract tests.
 */
export function decideRotation(
  row: FamilyRow | undefined,
  tokenHash: string,
  now: number,
  graceMs: number,
): 'invalid' | 'rotate' | 'grace' | 'reuse' {
  if (!row || row.revoked_at !== null || row.expires_at <= now) return 'invalid';
  if (row.current_hash === tokenHash) return 'rotate';
  const parentInGrace =
    row.parent_hash === tokenHash && row.rotated_at !== null && now - row.rotated_at <= graceMs;
  return parentInGrace ? 'grace' : 'reuse';
}
