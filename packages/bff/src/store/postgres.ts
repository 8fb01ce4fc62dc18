import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { endOf, type SessionStore, type StoredSession } from './types.js';

/** Options of `postgresStore`. */
export interface PostgresStoreOptions {
  /** `postgres://` URL, or a `pg.Pool` the app already has (the store then never ends it). */
  database: string | pg.Pool;
  /** The clock, in ms since the epoch. @default Date.now */
  now?: () => number;
}

// In one transaction under an advisory lock: instances starting together do not race on CREATE.
const SCHEMA = `BEGIN; SELECT pg_advisory_xact_lock(7305011);
CREATE TABLE IF NOT EXISTS tokenlane_bff_sessions (
  id TEXT PRIMARY KEY, version INTEGER NOT NULL, data TEXT NOT NULL, subject TEXT NOT NULL,
  sid TEXT, idle_expires_at BIGINT NOT NULL, absolute_expires_at BIGINT NOT NULL);
CREATE INDEX IF NOT EXISTS tokenlane_bff_sessions_subject ON tokenlane_bff_sessions (subject);
CREATE INDEX IF NOT EXISTS tokenlane_bff_sessions_sid ON tokenlane_bff_sessions (sid);
CREATE TABLE IF NOT EXISTS tokenlane_bff_locks (
  key TEXT PRIMARY KEY, holder TEXT NOT NULL, expires_at BIGINT NOT NULL);
CREATE TABLE IF NOT EXISTS tokenlane_bff_once (
  key TEXT PRIMARY KEY, value TEXT NOT NULL, expires_at BIGINT NOT NULL);
COMMIT;`;

interface Row {
  version: number;
  data: string;
  subject: string;
  sid: string | null;
  idle_expires_at: string;
  absolute_expires_at: string;
}

const values = (id: string, s: StoredSession) => [
  id,
  s.version,
  s.data,
  s.subject,
  s.sid ?? null,
  s.idleExpiresAt,
  s.absoluteExpiresAt,
];

/**
 * Sessions in Postgres, for several BFF instances: the fencing check is the `version` in the
 * `UPDATE`'s `WHERE`, a lock is a row taken over only once it expired. The tables are created on
 * first use (`tokenlane_bff_*`).
 */
export function postgresStore({ database, now = Date.now }: PostgresStoreOptions): SessionStore {
  const owned = typeof database === 'string';
  const pool =
    typeof database === 'string'
      ? new pg.Pool({ connectionString: database, max: 10, connectionTimeoutMillis: 5_000 })
      : database;
  // An idle client's error (the server restarted) must not crash the process.
  if (owned) pool.on('error', () => {});
  let ready: Promise<unknown> | undefined;
  const query = async <R extends pg.QueryResultRow>(text: string, params: unknown[] = []) => {
    await (ready ??= pool.query(SCHEMA).catch((error: unknown) => {
      ready = undefined;
      throw error;
    }));
    return pool.query<R>(text, params);
  };
  return {
    async read(id) {
      const { rows } = await query<Row>('SELECT * FROM tokenlane_bff_sessions WHERE id = $1', [id]);
      const row = rows[0];
      if (!row) return undefined;
      const session: StoredSession = {
        version: row.version,
        data: row.data,
        subject: row.subject,
        sid: row.sid ?? undefined,
        idleExpiresAt: Number(row.idle_expires_at),
        absoluteExpiresAt: Number(row.absolute_expires_at),
      };
      return endOf(session) > now() ? session : undefined;
    },
    async create(id, session) {
      await query(
        'DELETE FROM tokenlane_bff_sessions WHERE LEAST(idle_expires_at, absolute_expires_at) <= $1',
        [now()],
      );
      await query(
        'INSERT INTO tokenlane_bff_sessions VALUES ($1, $2, $3, $4, $5, $6, $7)',
        values(id, session),
      );
    },
    async replace(id, next, expected) {
      const { rowCount } = await query(
        `UPDATE tokenlane_bff_sessions SET version = $2, data = $3, subject = $4, sid = $5,
         idle_expires_at = $6, absolute_expires_at = $7 WHERE id = $1 AND version = $8`,
        [...values(id, next), expected],
      );
      return rowCount === 1;
    },
    async touch(id, idleExpiresAt) {
      await query(
        'UPDATE tokenlane_bff_sessions SET idle_expires_at = LEAST($2, absolute_expires_at) WHERE id = $1',
        [id, idleExpiresAt],
      );
    },
    async delete(id) {
      await query('DELETE FROM tokenlane_bff_sessions WHERE id = $1', [id]);
    },
    async deleteWhere(match) {
      const [column, value] = 'subject' in match ? ['subject', match.subject] : ['sid', match.sid];
      const { rowCount } = await query(`DELETE FROM tokenlane_bff_sessions WHERE ${column} = $1`, [
        value,
      ]);
      return rowCount ?? 0;
    },
    async lock(key, ttlMs) {
      const holder = randomBytes(12).toString('base64url');
      const { rowCount } = await query(
        `INSERT INTO tokenlane_bff_locks VALUES ($1, $2, $3) ON CONFLICT (key) DO UPDATE
         SET holder = $2, expires_at = $3 WHERE tokenlane_bff_locks.expires_at <= $4`,
        [key, holder, now() + ttlMs, now()],
      );
      return rowCount === 1 ? holder : undefined;
    },
    async unlock(key, holder) {
      await query('DELETE FROM tokenlane_bff_locks WHERE key = $1 AND holder = $2', [key, holder]);
    },
    async putOnce(key, value, ttlMs) {
      await query(
        `INSERT INTO tokenlane_bff_once VALUES ($1, $2, $3) ON CONFLICT (key) DO UPDATE
         SET value = $2, expires_at = $3`,
        [key, value, now() + ttlMs],
      );
    },
    async takeOnce(key) {
      const { rows } = await query<{ value: string }>(
        'DELETE FROM tokenlane_bff_once WHERE key = $1 AND expires_at > $2 RETURNING value',
        [key, now()],
      );
      return rows[0]?.value;
    },
    async peek(key) {
      const { rows } = await query<{ value: string }>(
        'SELECT value FROM tokenlane_bff_once WHERE key = $1 AND expires_at > $2',
        [key, now()],
      );
      return rows[0]?.value;
    },
    async close() {
      if (owned) await pool.end();
    },
  };
}
