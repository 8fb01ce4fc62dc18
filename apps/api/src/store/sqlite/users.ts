import { randomUUID } from 'node:crypto';
import type { UserStore } from '../types.js';
import { toUser, type UserRow } from '../userRow.js';
import type { Db } from './database.js';

/** Users in SQLite. */
export function createSqliteUserStore(db: Db): UserStore {
  const byEmail = db.prepare<[string], UserRow>('SELECT * FROM users WHERE email = ?');
  const byId = db.prepare<[string], UserRow>('SELECT * FROM users WHERE id = ?');
  const insert = db.prepare(
    `INSERT INTO users (id, email, name, role, password_hash, created_at)
     VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (email) DO NOTHING`,
  );
  const count = db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM users');

  return {
    findByEmail: (email) => Promise.resolve(toUser(byEmail.get(email))),
    findById: (id) => Promise.resolve(toUser(byId.get(id))),
    create: (user) => {
      const id = randomUUID();
      const { changes } = insert.run(
        id,
        user.email,
        user.name,
        user.role,
        user.passwordHash,
        Date.now(),
      );
      return Promise.resolve(changes === 1 ? { ...user, id } : undefined);
    },
    count: () => Promise.resolve(count.get()?.n ?? 0),
  };
}
