import { decideRotation, toFamily, type FamilyRow } from '../rotation.js';
import { REUSE_DETECTION_DEPTH, type RefreshStore, type RotateResult } from '../types.js';
import type { Db } from './database.js';

/**
 * Refresh-token families in SQLite. Rotation runs in a `BEGIN IMMEDIATE` transaction, so
 * concurrent rotations of one family are serialised even across processes sharing the file.
 */
export function createSqliteRefreshStore(db: Db): RefreshStore {
  const insertFamily = db.prepare(
    `INSERT INTO refresh_families (id, user_id, current_hash, current_sealed, created_at, expires_at)
     VALUES (?, ?, ?, ?, ?, ?)`,
  );
  const insertToken = db.prepare('INSERT INTO refresh_tokens (hash, family_id) VALUES (?, ?)');
  const familyOf = db.prepare<[string], FamilyRow>(
    `SELECT f.* FROM refresh_tokens t JOIN refresh_families f ON f.id = t.family_id WHERE t.hash = ?`,
  );
  const advance = db.prepare(
    `UPDATE refresh_families SET parent_hash = current_hash, current_hash = ?, current_sealed = ?,
     rotated_at = ? WHERE id = ?`,
  );
  const revoke = db.prepare(
    'UPDATE refresh_families SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL',
  );
  const trim = db.prepare(
    `DELETE FROM refresh_tokens WHERE family_id = ? AND rowid <= (
       SELECT rowid FROM refresh_tokens WHERE family_id = ? ORDER BY rowid DESC LIMIT 1 OFFSET ?)`,
  );
  const purge = db.prepare(
    'DELETE FROM refresh_families WHERE expires_at <= ? OR revoked_at IS NOT NULL',
  );
  const countActive = db.prepare<[number], { n: number }>(
    'SELECT COUNT(*) AS n FROM refresh_families WHERE revoked_at IS NULL AND expires_at > ?',
  );

  const create = db.transaction(
    (
      familyId: string,
      userId: string,
      tokenHash: string,
      sealed: string | null,
      now: number,
      expiresAt: number,
    ) => {
      insertFamily.run(familyId, userId, tokenHash, sealed, now, expiresAt);
      insertToken.run(tokenHash, familyId);
    },
  );

  const rotate = db.transaction(
    (
      tokenHash: string,
      newTokenHash: string,
      newSealed: string | null,
      now: number,
      graceMs: number,
    ): RotateResult => {
      const row = familyOf.get(tokenHash);
      const decision = decideRotation(row, tokenHash, now, graceMs);
      if (!row || decision === 'invalid') return { kind: 'invalid' };
      const family = toFamily(row);
      if (decision === 'grace') {
        return { kind: 'grace', family, currentSealed: row.current_sealed ?? undefined };
      }
      if (decision === 'reuse') {
        revoke.run(now, row.id);
        return { kind: 'reused', family };
      }
      insertToken.run(newTokenHash, row.id);
      advance.run(newTokenHash, newSealed, now, row.id);
      trim.run(row.id, row.id, REUSE_DETECTION_DEPTH);
      return { kind: 'rotated', family };
    },
  );

  return {
    createFamily: ({ familyId, userId, tokenHash, tokenSealed, now, expiresAt }) => {
      create(familyId, userId, tokenHash, tokenSealed ?? null, now, expiresAt);
      return Promise.resolve({ id: familyId, userId, expiresAt, createdAt: now });
    },
    rotate: ({ tokenHash, newTokenHash, newTokenSealed, now, graceMs }) =>
      Promise.resolve(
        rotate.immediate(tokenHash, newTokenHash, newTokenSealed ?? null, now, graceMs),
      ),
    ownerOf: (tokenHash) => Promise.resolve(familyOf.get(tokenHash)?.user_id),
    revokeByToken: (tokenHash, now) => {
      const row = familyOf.get(tokenHash);
      if (row) revoke.run(now, row.id);
      return Promise.resolve();
    },
    countActive: (now) => Promise.resolve(countActive.get(now)?.n ?? 0),
    // Tokens go with their family (ON DELETE CASCADE).
    purge: (now) => Promise.resolve(purge.run(now).changes),
  };
}
