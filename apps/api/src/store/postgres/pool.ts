import pg from 'pg';
import { StoreUnavailableError } from '../errors.js';

/** A pool of connections to one Postgres database. */
export type Pool = pg.Pool;
/** One connection, checked out of the pool (for a transaction). */
export type Connection = pg.PoolClient;
/** Anything that runs a query: the pool, or a connection in a transaction. */
export type Queryable = Pick<pg.Pool, 'query'>;

const INT8 = 20;
// COUNT(*) and BIGINT columns come back as numbers, not strings: every value here is an epoch
// millisecond or a count, far below 2^53.
const types: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary'): unknown =>
    oid === INT8
      ? Number
      : (pg.types.getTypeParser(oid, format) as unknown)) as pg.CustomTypesConfig['getTypeParser'],
};

/**
 * A pool that fails fast while Postgres is down (the stores answer `StoreUnavailableError`, so the
 * API says 503) and reconnects by itself when it is back.
 */
export function createPool(url: string): Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max: 10,
    connectionTimeoutMillis: 2_000,
    query_timeout: 5_000,
    idleTimeoutMillis: 30_000,
    types,
  });
  // An idle connection that breaks (Postgres restarting) is dropped; the next query opens another.
  pool.on('error', () => {});
  return pool;
}

/** SQLSTATE classes that mean "the database cannot answer now", not "this query is wrong". */
const UNAVAILABLE = /^(08|53|57P)/;

/** What pg says, without a code, when a connection cannot be had or was lost. */
const LOST = /connection|terminated|timeout|not queryable/i;

/** Whether `error` says Postgres could not be reached or could not serve (not a bad query). */
export function isUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') {
    // A SQLSTATE from the server, or a socket error (ECONNREFUSED, ECONNRESET, ...).
    return /^[0-9A-Z]{5}$/.test(code) ? UNAVAILABLE.test(code) : /^E[A-Z]+$/.test(code);
  }
  // pg's own timeouts and closed connections carry no code.
  return error.constructor === Error && LOST.test(error.message);
}

/** Runs `work`, turning "Postgres is unreachable" into `StoreUnavailableError` (503). */
export async function guarded<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (isUnavailable(error)) {
      throw new StoreUnavailableError('The database is unavailable', { cause: error });
    }
    throw error;
  }
}

/** Runs `work` in one transaction on one connection: committed if it resolves, else rolled back. */
export function transaction<T>(pool: Pool, work: (db: Connection) => Promise<T>): Promise<T> {
  return guarded(async () => {
    const db = await pool.connect();
    let broken: unknown;
    // A checked-out connection that breaks between two statements (Postgres shutting down) emits
    // 'error' with nobody listening (the pool listens only while it is idle): that would crash the
    // process. Noted here instead; the statement in flight or the next one rejects.
    const onError = (error: Error) => (broken = error);
    db.on('error', onError);
    try {
      await db.query('BEGIN');
      const result = await work(db);
      await db.query('COMMIT');
      return result;
    } catch (error) {
      if (isUnavailable(error)) broken = error;
      // A connection that timed out or broke is destroyed below, which rolls back on the server:
      // a ROLLBACK sent on it would only wait for another timeout before the 503 goes out.
      if (!broken) await db.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      db.off('error', onError);
      // A connection that failed mid-transaction is not put back for reuse.
      db.release(broken instanceof Error ? broken : undefined);
    }
  });
}
