import type { ProofStore } from '../types.js';
import type { Db } from './database.js';

/** DPoP proofs seen, in SQLite: one upsert that takes an unknown or expired key and refuses a live one. */
export function createSqliteProofStore(db: Db): ProofStore {
  const remember = db.prepare(
    `INSERT INTO dpop_proofs (key, expires_at) VALUES (?, ?)
     ON CONFLICT (key) DO UPDATE SET expires_at = excluded.expires_at
     WHERE dpop_proofs.expires_at <= ?`,
  );
  const purge = db.prepare('DELETE FROM dpop_proofs WHERE expires_at <= ?');
  return {
    remember: (key, expiresAt, now) =>
      Promise.resolve(remember.run(key, expiresAt, now).changes === 1),
    purge: (now) => Promise.resolve(purge.run(now).changes),
  };
}
