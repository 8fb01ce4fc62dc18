import type { ProofStore } from '../types.js';
import { guarded, type Pool } from './pool.js';

/** DPoP proofs seen, in Postgres: one upsert that takes an unknown or expired key and refuses a live one. */
export function createPostgresProofStore(pool: Pool): ProofStore {
  return {
    remember: (key, expiresAt, now) =>
      guarded(async () => {
        const { rowCount } = await pool.query({
          name: 'tokenlane_remember_proof',
          text: `INSERT INTO dpop_proofs AS p (key, expires_at) VALUES ($1, $2)
                 ON CONFLICT (key) DO UPDATE SET expires_at = EXCLUDED.expires_at
                 WHERE p.expires_at <= $3`,
          values: [key, expiresAt, now],
        });
        return rowCount === 1;
      }),
    purge: (now) =>
      guarded(async () => {
        const { rowCount } = await pool.query('DELETE FROM dpop_proofs WHERE expires_at <= $1', [
          now,
        ]);
        return rowCount ?? 0;
      }),
  };
}
