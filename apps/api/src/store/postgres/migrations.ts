import type { Pool } from './pool.js';

/**
 * The schema, as versioned migrations: applied in order, each once, each in its own transaction.
 * Never edit one that has shipped; add the next.
 */
export const MIGRATIONS: ReadonlyArray<{ version: number; name: string; sql: string }> = [
  {
    version: 1,
    name: 'users, todos, refresh families',
    sql: `
      CREATE TABLE users (
        id TEXT PRIMARY KEY,
        email TEXT NOT NULL,
        name TEXT NOT NULL,
        role TEXT NOT NULL CHECK (role IN ('user', 'admin')),
        password_hash TEXT NOT NULL,
        created_at BIGINT NOT NULL
      );
      CREATE UNIQUE INDEX users_email ON users (lower(email));
      CREATE TABLE todos (
        seq BIGSERIAL UNIQUE,
        id TEXT PRIMARY KEY,
        user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        title TEXT NOT NULL,
        done BOOLEAN NOT NULL DEFAULT false,
        created_at BIGINT NOT NULL
      );
      CREATE INDEX todos_user ON todos (user_id, created_at, seq);
      CREATE TABLE refresh_families (
        id TEXT PRIMARY KEY,
        user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        current_hash TEXT NOT NULL,
        current_sealed TEXT,
        parent_hash TEXT,
        rotated_at BIGINT,
        created_at BIGINT NOT NULL,
        expires_at BIGINT NOT NULL,
        revoked_at BIGINT
      );
      CREATE INDEX refresh_families_live ON refresh_families (expires_at) WHERE revoked_at IS NULL;
      CREATE TABLE refresh_tokens (
        seq BIGSERIAL,
        hash TEXT PRIMARY KEY,
        family_id TEXT NOT NULL REFERENCES refresh_families(id) ON DELETE CASCADE
      );
      CREATE INDEX refresh_tokens_family ON refresh_tokens (family_id, seq);
    `,
  },
  {
    version: 2,
    name: 'rate-limit counters shared by every instance',
    sql: `
      CREATE TABLE rate_limits (
        key TEXT PRIMARY KEY,
        hits INTEGER NOT NULL,
        reset_at BIGINT NOT NULL
      );
      CREATE INDEX rate_limits_reset ON rate_limits (reset_at);
    `,
  },
  {
    version: 3,
    name: 'refresh rotation in one round trip',
    // decideRotation (rotation.ts) in SQL, with what each outcome writes: called as one statement,
    // it runs in one transaction with the family's row locked, as the Redis store's Lua script.
    // A renewal answers with the family's user: it comes along (email ... password_hash).
    sql: `
      CREATE FUNCTION tokenlane_rotate(
        p_hash TEXT, p_new_hash TEXT, p_new_sealed TEXT, p_now BIGINT, p_grace_ms BIGINT,
        p_depth INTEGER
      ) RETURNS TABLE (kind TEXT, family_id TEXT, user_id TEXT, expires_at BIGINT,
                       current_sealed TEXT, email TEXT, name TEXT, role TEXT, password_hash TEXT)
      LANGUAGE plpgsql AS $$
      #variable_conflict use_column
      DECLARE
        f refresh_families%ROWTYPE;
        u users%ROWTYPE;
      BEGIN
        -- Waits for a rotation of the same family in progress, then reads what it wrote.
        SELECT fam.* INTO f FROM refresh_tokens t JOIN refresh_families fam ON fam.id = t.family_id
          WHERE t.hash = p_hash FOR UPDATE OF fam;
        IF NOT FOUND OR f.revoked_at IS NOT NULL OR f.expires_at <= p_now THEN
          RETURN QUERY SELECT 'invalid', NULL::TEXT, NULL::TEXT, NULL::BIGINT, NULL::TEXT,
            NULL::TEXT, NULL::TEXT, NULL::TEXT, NULL::TEXT;
          RETURN;
        END IF;
        SELECT * INTO u FROM users WHERE id = f.user_id;
        IF f.current_hash = p_hash THEN
          INSERT INTO refresh_tokens (hash, family_id) VALUES (p_new_hash, f.id);
          UPDATE refresh_families SET parent_hash = current_hash, current_hash = p_new_hash,
            current_sealed = p_new_sealed, rotated_at = p_now WHERE id = f.id;
          -- Only the newest p_depth hashes are kept.
          DELETE FROM refresh_tokens WHERE family_id = f.id AND seq <= (
            SELECT seq FROM refresh_tokens WHERE family_id = f.id
            ORDER BY seq DESC LIMIT 1 OFFSET p_depth);
          RETURN QUERY SELECT 'rotated', f.id, f.user_id, f.expires_at, NULL::TEXT,
            u.email, u.name, u.role, u.password_hash;
        ELSIF f.parent_hash = p_hash AND f.rotated_at IS NOT NULL
              AND p_now - f.rotated_at <= p_grace_ms THEN
          RETURN QUERY SELECT 'grace', f.id, f.user_id, f.expires_at, f.current_sealed,
            u.email, u.name, u.role, u.password_hash;
        ELSE
          UPDATE refresh_families SET revoked_at = p_now WHERE id = f.id;
          RETURN QUERY SELECT 'reused', f.id, f.user_id, f.expires_at, NULL::TEXT,
            NULL::TEXT, NULL::TEXT, NULL::TEXT, NULL::TEXT;
        END IF;
      END $$;
    `,
  },
  {
    version: 4,
    name: 'DPoP proofs seen (jti replay cache)',
    sql: `
      CREATE TABLE dpop_proofs (
        key TEXT PRIMARY KEY,
        expires_at BIGINT NOT NULL
      );
      CREATE INDEX dpop_proofs_expiry ON dpop_proofs (expires_at);
    `,
  },
  {
    version: 5,
    name: 'tokenlane_rotate answers the login time of the family (auth_time, for step-up)',
    // Migration 3's function, with created_at in its answer (a new return type: dropped first).
    sql: `
      DROP FUNCTION tokenlane_rotate(TEXT, TEXT, TEXT, BIGINT, BIGINT, INTEGER);
      CREATE FUNCTION tokenlane_rotate(
        p_hash TEXT, p_new_hash TEXT, p_new_sealed TEXT, p_now BIGINT, p_grace_ms BIGINT,
        p_depth INTEGER
      ) RETURNS TABLE (kind TEXT, family_id TEXT, user_id TEXT, expires_at BIGINT, created_at BIGINT,
                       current_sealed TEXT, email TEXT, name TEXT, role TEXT, password_hash TEXT)
      LANGUAGE plpgsql AS $$
      #variable_conflict use_column
      DECLARE
        f refresh_families%ROWTYPE;
        u users%ROWTYPE;
      BEGIN
        -- Waits for a rotation of the same family in progress, then reads what it wrote.
        SELECT fam.* INTO f FROM refresh_tokens t JOIN refresh_families fam ON fam.id = t.family_id
          WHERE t.hash = p_hash FOR UPDATE OF fam;
        IF NOT FOUND OR f.revoked_at IS NOT NULL OR f.expires_at <= p_now THEN
          RETURN QUERY SELECT 'invalid', NULL::TEXT, NULL::TEXT, NULL::BIGINT, NULL::BIGINT, NULL::TEXT,
            NULL::TEXT, NULL::TEXT, NULL::TEXT, NULL::TEXT;
          RETURN;
        END IF;
        SELECT * INTO u FROM users WHERE id = f.user_id;
        IF f.current_hash = p_hash THEN
          INSERT INTO refresh_tokens (hash, family_id) VALUES (p_new_hash, f.id);
          UPDATE refresh_families SET parent_hash = current_hash, current_hash = p_new_hash,
            current_sealed = p_new_sealed, rotated_at = p_now WHERE id = f.id;
          -- Only the newest p_depth hashes are kept.
          DELETE FROM refresh_tokens WHERE family_id = f.id AND seq <= (
            SELECT seq FROM refresh_tokens WHERE family_id = f.id
            ORDER BY seq DESC LIMIT 1 OFFSET p_depth);
          RETURN QUERY SELECT 'rotated', f.id, f.user_id, f.expires_at, f.created_at, NULL::TEXT,
            u.email, u.name, u.role, u.password_hash;
        ELSIF f.parent_hash = p_hash AND f.rotated_at IS NOT NULL
              AND p_now - f.rotated_at <= p_grace_ms THEN
          RETURN QUERY SELECT 'grace', f.id, f.user_id, f.expires_at, f.created_at, f.current_sealed,
            u.email, u.name, u.role, u.password_hash;
        ELSE
          UPDATE refresh_families SET revoked_at = p_now WHERE id = f.id;
          RETURN QUERY SELECT 'reused', f.id, f.user_id, f.expires_at, f.created_at, NULL::TEXT,
            NULL::TEXT, NULL::TEXT, NULL::TEXT, NULL::TEXT;
        END IF;
      END $$;
    `,
  },
];

/** The advisory lock that makes one instance migrate while the others wait ("tokenlane" in ASCII). */
const MIGRATION_LOCK = 8390042714202988910n.toString();

/**
 * Brings the schema up to date: safe when several instances start at once (they take turns under
 * an advisory lock, and each migration runs once). Resolves with the versions this call applied.
 */
export async function migrate(pool: Pool): Promise<number[]> {
  const db = await pool.connect();
  const applied: number[] = [];
  try {
    await db.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await db.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version INTEGER PRIMARY KEY,
      name TEXT NOT NULL,
      applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
    )`);
    const { rows } = await db.query<{ version: number }>('SELECT version FROM schema_migrations');
    const done = new Set(rows.map((row) => row.version));
    for (const migration of MIGRATIONS) {
      if (done.has(migration.version)) continue;
      try {
        await db.query('BEGIN');
        await db.query(migration.sql);
        await db.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [
          migration.version,
          migration.name,
        ]);
        await db.query('COMMIT');
      } catch (error) {
        await db.query('ROLLBACK').catch(() => undefined);
        throw error;
      }
      applied.push(migration.version);
    }
  } finally {
    await db.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    db.release();
  }
  return applied;
}
