import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { endOf, type SessionStore, type StoredSession } from './types.js';

/** Options of `sqliteStore`. */
export interface SqliteStoreOptions {
  /** The database file. @default `.data/bff.sqlite` in the working directory; `':memory:'` for tests */
  path?: string;
  /** The clock, in ms since the epoch. @default Date.now */
  now?: () => number;
}

interface Row {
  version: number;
  data: string;
  subject: string;
  sid: string | null;
  idle_expires_at: number;
  absolute_expires_at: number;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS bff_sessions (
  id TEXT PRIMARY KEY, version INTEGER NOT NULL, data TEXT NOT NULL, subject TEXT NOT NULL,
  sid TEXT, idle_expires_at INTEGER NOT NULL, absolute_expires_at INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS bff_sessions_subject ON bff_sessions (subject);
CREATE INDEX IF NOT EXISTS bff_sessions_sid ON bff_sessions (sid);
CREATE TABLE IF NOT EXISTS bff_locks (key TEXT PRIMARY KEY, holder TEXT NOT NULL, expires_at INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS bff_once (key TEXT PRIMARY KEY, value TEXT NOT NULL, expires_at INTEGER NOT NULL);`;

/** A synchronous better-sqlite3 call as the store's promise (its throw a rejection). */
function settled<T>(run: () => T): Promise<T> {
  try {
    return Promise.resolve(run());
  } catch (error) {
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }
}

const fromRow = (row: Row): StoredSession => ({
  version: row.version,
  data: row.data,
  subject: row.subject,
  sid: row.sid ?? undefined,
  idleExpiresAt: row.idle_expires_at,
  absoluteExpiresAt: row.absolute_expires_at,
});

/**
 * The embedded store, the default: one SQLite file (better-sqlite3, WAL), no configuration. For one
 * BFF process, or several processes on one machine sharing the file; use `redisStore` or
 * `postgresStore` for instances on several machines.
 */
export function sqliteStore({ path, now = Date.now }: SqliteStoreOptions = {}): SessionStore {
  const file = path ?? '.data/bff.sqlite';
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('busy_timeout = 5000');
  db.exec(SCHEMA);
  const read = db.prepare<[string], Row>('SELECT * FROM bff_sessions WHERE id = ?');
  const insert = db.prepare(
    'INSERT INTO bff_sessions VALUES (@id, @version, @data, @subject, @sid, @idle, @absolute)',
  );
  const replace = db.prepare(
    `UPDATE bff_sessions SET version = @version, data = @data, subject = @subject, sid = @sid,
     idle_expires_at = @idle, absolute_expires_at = @absolute WHERE id = @id AND version = @expected`,
  );
  const touch = db.prepare(
    'UPDATE bff_sessions SET idle_expires_at = MIN(?, absolute_expires_at) WHERE id = ?',
  );
  const remove = db.prepare('DELETE FROM bff_sessions WHERE id = ?');
  const bySubject = db.prepare('DELETE FROM bff_sessions WHERE subject = ?');
  const bySid = db.prepare('DELETE FROM bff_sessions WHERE sid = ?');
  const lock = db.prepare(
    `INSERT INTO bff_locks VALUES (@key, @holder, @expires) ON CONFLICT (key) DO UPDATE
     SET holder = @holder, expires_at = @expires WHERE bff_locks.expires_at <= @now`,
  );
  const unlock = db.prepare('DELETE FROM bff_locks WHERE key = ? AND holder = ?');
  const putOnce = db.prepare('INSERT OR REPLACE INTO bff_once VALUES (?, ?, ?)');
  const takeOnce = db.prepare<[string, number], { value: string }>(
    'DELETE FROM bff_once WHERE key = ? AND expires_at > ? RETURNING value',
  );
  const peek = db.prepare<[string, number], { value: string }>(
    'SELECT value FROM bff_once WHERE key = ? AND expires_at > ?',
  );
  const sweep = db.prepare(
    'DELETE FROM bff_sessions WHERE MIN(idle_expires_at, absolute_expires_at) <= ?',
  );
  const params = (id: string, s: StoredSession) => ({
    id,
    version: s.version,
    data: s.data,
    subject: s.subject,
    sid: s.sid ?? null,
    idle: s.idleExpiresAt,
    absolute: s.absoluteExpiresAt,
  });
  return {
    read: (id) =>
      settled(() => {
        const row = read.get(id);
        if (!row) return undefined;
        const session = fromRow(row);
        return endOf(session) > now() ? session : undefined;
      }),
    create: (id, session) =>
      settled(() => {
        sweep.run(now());
        insert.run(params(id, session));
      }),
    replace: (id, next, expected) =>
      settled(() => replace.run({ ...params(id, next), expected }).changes === 1),
    touch: (id, idleExpiresAt) => settled(() => void touch.run(idleExpiresAt, id)),
    delete: (id) => settled(() => void remove.run(id)),
    deleteWhere: (match) =>
      settled(() =>
        'subject' in match ? bySubject.run(match.subject).changes : bySid.run(match.sid).changes,
      ),
    lock: (key, ttlMs) =>
      settled(() => {
        const holder = randomBytes(12).toString('base64url');
        const taken = lock.run({ key, holder, expires: now() + ttlMs, now: now() }).changes === 1;
        return taken ? holder : undefined;
      }),
    unlock: (key, holder) => settled(() => void unlock.run(key, holder)),
    putOnce: (key, value, ttlMs) => settled(() => void putOnce.run(key, value, now() + ttlMs)),
    takeOnce: (key) => settled(() => takeOnce.get(key, now())?.value),
    peek: (key) => settled(() => peek.get(key, now())?.value),
    close: () => settled(() => void db.close()),
  };
}
