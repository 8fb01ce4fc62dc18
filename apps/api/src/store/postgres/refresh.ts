import { decideRotation, toFamily, type FamilyRow } from '../rotation.js';
import { REUSE_DETECTION_DEPTH, type RefreshStore, type RotateResult } from '../types.js';
import { guarded, transaction, type Pool } from './pool.js';

const FAMILY_OF = `SELECT f.* FROM refresh_tokens t JOIN refresh_families f ON f.id = t.family_id
  WHERE t.hash = $1`;

/**
 * Refresh-token families in Postgres. A rotation runs in one transaction with the family's row
 * locked (`SELECT ... FOR UPDATE`): concurrent refreshes of one family, from any number of
 * instances, take turns, and each sees what the one before it wrote.
 */
export function createPostgresRefreshStore(pool: Pool): RefreshStore {
  return {
    createFamily: ({ familyId, userId, tokenHash, tokenSealed, now, expiresAt }) =>
      transaction(pool, async (db) => {
        await db.query(
          `INSERT INTO refresh_families (id, user_id, current_hash, current_sealed, created_at, expires_at)
           VALUES ($1, $2, $3, $4, $5, $6)`,
          [familyId, userId, tokenHash, tokenSealed ?? null, now, expiresAt],
        );
        await db.query('INSERT INTO refresh_tokens (hash, family_id) VALUES ($1, $2)', [
          tokenHash,
          familyId,
        ]);
        return { id: familyId, userId, expiresAt };
      }),

    rotate: ({ tokenHash, newTokenHash, newTokenSealed, now, graceMs }) =>
      transaction(pool, async (db): Promise<RotateResult> => {
        // Waits for a rotation of the same family in progress, then reads what it wrote.
        const row = (await db.query<FamilyRow>(`${FAMILY_OF} FOR UPDATE OF f`, [tokenHash]))
          .rows[0];
        const decision = decideRotation(row, tokenHash, now, graceMs);
        if (!row || decision === 'invalid') return { kind: 'invalid' };
        const family = toFamily(row);
        if (decision === 'grace') {
          return { kind: 'grace', family, currentSealed: row.current_sealed ?? undefined };
        }
        if (decision === 'reuse') {
          await db.query('UPDATE refresh_families SET revoked_at = $1 WHERE id = $2', [
            now,
            row.id,
          ]);
          return { kind: 'reused', family };
        }
        await db.query('INSERT INTO refresh_tokens (hash, family_id) VALUES ($1, $2)', [
          newTokenHash,
          row.id,
        ]);
        await db.query(
          `UPDATE refresh_families SET parent_hash = current_hash, current_hash = $1,
           current_sealed = $2, rotated_at = $3 WHERE id = $4`,
          [newTokenHash, newTokenSealed ?? null, now, row.id],
        );
        // Only the newest REUSE_DETECTION_DEPTH hashes are kept.
        await db.query(
          `DELETE FROM refresh_tokens WHERE family_id = $1 AND seq <= (
             SELECT seq FROM refresh_tokens WHERE family_id = $1
             ORDER BY seq DESC LIMIT 1 OFFSET $2)`,
          [row.id, REUSE_DETECTION_DEPTH],
        );
        return { kind: 'rotated', family };
      }),

    revokeByToken: (tokenHash, now) =>
      guarded(async () => {
        await pool.query(
          `UPDATE refresh_families SET revoked_at = $2 WHERE revoked_at IS NULL AND id = (
             SELECT family_id FROM refresh_tokens WHERE hash = $1)`,
          [tokenHash, now],
        );
      }),

    countActive: (now) =>
      guarded(
        async () =>
          (
            await pool.query<{ n: number }>(
              'SELECT COUNT(*) AS n FROM refresh_families WHERE revoked_at IS NULL AND expires_at > $1',
              [now],
            )
          ).rows[0]!.n,
      ),

    // Tokens go with their family (ON DELETE CASCADE).
    purge: (now) =>
      guarded(
        async () =>
          (
            await pool.query(
              'DELETE FROM refresh_families WHERE expires_at <= $1 OR revoked_at IS NOT NULL',
              [now],
            )
          ).rowCount ?? 0,
      ),
  };
}
