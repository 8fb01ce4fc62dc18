import { randomUUID } from 'node:crypto';
import { decodeCursor, encodeCursor } from '../cursor.js';
import { QuotaExceededError, UnknownUserError } from '../errors.js';
import type { Todo, TodoStore } from '../types.js';
import { guarded, transaction, type Pool } from './pool.js';

interface Row {
  seq: number;
  id: string;
  title: string;
  done: boolean;
  created_at: number;
}

const toTodo = (row: Row): Todo => ({
  id: row.id,
  title: row.title,
  done: row.done,
  createdAt: new Date(row.created_at).toISOString(),
});

/** Todos in Postgres; every query is scoped by the owner's id. */
export function createPostgresTodoStore(pool: Pool): TodoStore {
  return {
    list: (userId, { limit, cursor }) =>
      guarded(async () => {
        const [createdAt, seq] = cursor === undefined ? [-1, -1] : decodeCursor(cursor);
        // One row more than asked tells whether there is a next page.
        const { rows } = await pool.query<Row>(
          `SELECT * FROM todos WHERE user_id = $1 AND (created_at, seq) > ($2, $3)
           ORDER BY created_at, seq LIMIT $4`,
          [userId, createdAt, seq, limit + 1],
        );
        const items = rows.slice(0, limit);
        const last = items.at(-1);
        const next =
          rows.length > limit && last ? encodeCursor(last.created_at, last.seq) : undefined;
        return { items: items.map(toTodo), next };
      }),
    // The owner's row is locked while counting, so concurrent creates cannot overshoot the quota.
    create: (userId, title, quota) =>
      transaction(pool, async (db) => {
        const owner = await db.query('SELECT 1 FROM users WHERE id = $1 FOR UPDATE', [userId]);
        if (owner.rowCount === 0) throw new UnknownUserError();
        const { rows } = await db.query<{ n: number }>(
          'SELECT COUNT(*) AS n FROM todos WHERE user_id = $1',
          [userId],
        );
        if (rows[0]!.n >= quota) throw new QuotaExceededError();
        const inserted = await db.query<Row>(
          `INSERT INTO todos (id, user_id, title, created_at) VALUES ($1, $2, $3, $4) RETURNING *`,
          [randomUUID(), userId, title, Date.now()],
        );
        return toTodo(inserted.rows[0]!);
      }),
    update: (userId, id, patch) =>
      guarded(async () => {
        const { rows } = await pool.query<Row>(
          `UPDATE todos SET title = COALESCE($3, title), done = COALESCE($4, done)
           WHERE id = $1 AND user_id = $2 RETURNING *`,
          [id, userId, patch.title ?? null, patch.done ?? null],
        );
        return rows[0] && toTodo(rows[0]);
      }),
    remove: (userId, id) =>
      guarded(async () => {
        const { rowCount } = await pool.query('DELETE FROM todos WHERE id = $1 AND user_id = $2', [
          id,
          userId,
        ]);
        return rowCount === 1;
      }),
    count: () =>
      guarded(
        async () => (await pool.query<{ n: number }>('SELECT COUNT(*) AS n FROM todos')).rows[0]!.n,
      ),
  };
}
