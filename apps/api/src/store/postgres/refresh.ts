import { REUSE_DETECTION_DEPTH, type RefreshStore, type RotateResult } from '../types.js';
import { toUser, type UserRow } from '../userRow.js';
import { guarded, transaction, type Pool } from './pool.js';

/**
 * What `tokenlane_rotate` answers: `decideRotation`'s outcome, the family unless invalid, and for
 * a renewal (`rotated`, `grace`) its user's row (`email` null if the user is gone).
 */
interface RotationRow extends Omit<UserRow, 'id' | 'email'> {
  kind: 'invalid' | 'rotated' | 'grace' | 'reused';
  family_id: string | null;
  user_id: string | null;
  expires_at: number | null;
  created_at: number | null;
  current_sealed: string | null;
  email: string | null;
}

/**
 * Refresh-token families in Postgres. A rotation is one call of a SQL function, one statement in
 * one transaction with the family's row locked (`SELECT ... FOR UPDATE`): concurrent refreshes of
 * one family, from any number of instances, take turns, and each sees what the one before it wrote.
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
        return { id: familyId, userId, expiresAt, createdAt: now };
      }),

    rotate: ({ tokenHash, newTokenHash, newTokenSealed, now, graceMs }) =>
      guarded(async (): Promise<RotateResult> => {
        // One round trip: the function (migrations 3 and 5) locks the family's row, decides and writes.
        const { rows } = await pool.query<RotationRow>({
          // Named: each connection parses and plans it once (a prepared statement).
          name: 'tokenlane_rotate',
          text: 'SELECT * FROM tokenlane_rotate($1, $2, $3, $4, $5, $6)',
          values: [
            tokenHash,
            newTokenHash,
            newTokenSealed ?? null,
            now,
            graceMs,
            REUSE_DETECTION_DEPTH,
          ],
        });
        const row = rows[0]!;
        if (row.kind === 'invalid') return { kind: 'invalid' };
        const family = {
          id: row.family_id!,
          userId: row.user_id!,
          expiresAt: Number(row.expires_at),
          createdAt: Number(row.created_at ?? 0),
        };
        if (row.kind === 'reused') return { kind: 'reused', family };
        const user =
          row.email === null ? undefined : toUser({ ...row, id: family.userId, email: row.email });
        return row.kind === 'grace'
          ? { kind: 'grace', family, user, currentSealed: row.current_sealed ?? undefined }
          : { kind: 'rotated', family, user };
      }),

    ownerOf: (tokenHash) =>
      guarded(async () => {
        const { rows } = await pool.query<{ user_id: string }>(
          `SELECT f.user_id FROM refresh_tokens t JOIN refresh_families f ON f.id = t.family_id
           WHERE t.hash = $1`,
          [tokenHash],
        );
        return rows[0]?.user_id;
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
