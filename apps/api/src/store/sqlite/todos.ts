import { randomUUID } from 'node:crypto';
import { decodeCursor, encodeCursor } from '../cursor.js';
import { InvalidCursorError, QuotaExceededError, UnknownUserError } from '../errors.js';
import type { Todo, TodoStore } from '../types.js';
import type { Db } from './database.js';

interface Row {
  id: string;
  title: string;
  done: number;
  created_at: number;
}

const toTodo = (row: Row): Todo => ({
  id: row.id,
  title: row.title,
  done: row.done === 1,
  createdAt: new Date(row.created_at).toISOString(),
});

const isForeignKeyViolation = (error: unknown) =>
  error instanceof Error && (error as { code?: unknown }).code === 'SQLITE_CONSTRAINT_FOREIGNKEY';

/** Todos in SQLite; every query is scoped by the owner's id. */
export function createSqliteTodoStore(db: Db): TodoStore {
  const list = db.prepare<[string, number, number, number], Row & { seq: number }>(
    `SELECT rowid AS seq, * FROM todos WHERE user_id = ? AND (created_at, rowid) > (?, ?)
     ORDER BY created_at, rowid LIMIT ?`,
  );
  const countFor = db.prepare<[string], { n: number }>(
    'SELECT COUNT(*) AS n FROM todos WHERE user_id = ?',
  );
  const get = db.prepare<[string, string], Row>('SELECT * FROM todos WHERE id = ? AND user_id = ?');
  const insert = db.prepare(
    'INSERT INTO todos (id, user_id, title, done, created_at) VALUES (?, ?, ?, 0, ?)',
  );
  const update = db.prepare<[string, number, string, string]>(
    'UPDATE todos SET title = ?, done = ? WHERE id = ? AND user_id = ?',
  );
  const remove = db.prepare('DELETE FROM todos WHERE id = ? AND user_id = ?');
  const count = db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM todos');

  const patch = db.transaction(
    (
      userId: string,
      id: string,
      changes: { title?: string | undefined; done?: boolean | undefined },
    ) => {
      const row = get.get(id, userId);
      if (!row) return undefined;
      const next: Row = {
        ...row,
        title: changes.title ?? row.title,
        done: changes.done === undefined ? row.done : Number(changes.done),
      };
      update.run(next.title, next.done, id, userId);
      return toTodo(next);
    },
  );

  // Counted and inserted in one transaction, so concurrent creates cannot overshoot the quota.
  const insertWithin = db.transaction((userId: string, row: Row, quota: number) => {
    if ((countFor.get(userId)?.n ?? 0) >= quota) throw new QuotaExceededError();
    insert.run(row.id, userId, row.title, row.created_at);
  });

  return {
    list: (userId, { limit, cursor }) => {
      let createdAt = -1;
      let seq = -1;
      try {
        if (cursor !== undefined) [createdAt, seq] = decodeCursor(cursor);
      } catch {
        return Promise.reject(new InvalidCursorError());
      }
      // One row more than asked tells whether there is a next page.
      const rows = list.all(userId, createdAt, seq, limit + 1);
      const items = rows.slice(0, limit);
      const last = items.at(-1);
      const next =
        rows.length > limit && last ? encodeCursor(last.created_at, last.seq) : undefined;
      return Promise.resolve({ items: items.map(toTodo), next });
    },
    create: (userId, title, quota) => {
      const row: Row = { id: randomUUID(), title, done: 0, created_at: Date.now() };
      try {
        insertWithin(userId, row, quota);
      } catch (error) {
        if (isForeignKeyViolation(error)) return Promise.reject(new UnknownUserError());
        if (error instanceof QuotaExceededError) return Promise.reject(error);
        throw error;
      }
      return Promise.resolve(toTodo(row));
    },
    update: (userId, id, changes) => Promise.resolve(patch(userId, id, changes)),
    remove: (userId, id) => Promise.resolve(remove.run(id, userId).changes === 1),
    count: () => Promise.resolve(count.get()?.n ?? 0),
  };
}
