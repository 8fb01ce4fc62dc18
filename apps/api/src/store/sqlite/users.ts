import { randomUUID } from 'node:crypto';
import type { Role, UserRecord, UserStore } from '../types.js';
import type { Db } from './database.js';

interface Row {
  id: string;
  email: string;
  name: string;
  role: Role;
  password_hash: string;
}

const toUser = (row: Row): UserRecord => ({
  id: row.id,
  email: row.email,
  name: row.name,
  role: row.role,
  passwordHash: row.password_hash,
});

/** Users in SQLite. */
export function createSqliteUserStore(db: Db): UserStore {
  const byEmail = db.prepare<[string], Row>('SELECT * FROM users WHERE email = ?');
  const byId = db.prepare<[string], Row>('SELECT * FROM users WHERE id = ?');
  const insert = db.prepare(
    `INSERT INTO users (id, email, name, role, password_hash, created_at)
     VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (email) DO NOTHING`,
  );
  const count = db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM users');

  return {
    findByEmail: (email) => Promise.resolve(mapRow(byEmail.get(email))),
    findById: (id) => Promise.resolve(mapRow(byId.get(id))),
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

const mapRow = (row: Row | undefined) => (row ? toUser(row) : undefined);
