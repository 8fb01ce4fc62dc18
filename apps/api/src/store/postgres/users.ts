import { randomUUID } from 'node:crypto';
import type { UserStore } from '../types.js';
import { toUser, type UserRow } from '../userRow.js';
import { guarded, type Pool } from './pool.js';

/** Users in Postgres; emails are unique without case (a unique index on `lower(email)`). */
export function createPostgresUserStore(pool: Pool): UserStore {
  const one = (sql: string, value: string) =>
    guarded(async () => toUser((await pool.query<UserRow>(sql, [value])).rows[0]));
  return {
    findByEmail: (email) => one('SELECT * FROM users WHERE lower(email) = lower($1)', email),
    findById: (id) => one('SELECT * FROM users WHERE id = $1', id),
    create: (user) =>
      guarded(async () => {
        const id = randomUUID();
        const { rowCount } = await pool.query(
          `INSERT INTO users (id, email, name, role, password_hash, created_at)
           VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING`,
          [id, user.email, user.name, user.role, user.passwordHash, Date.now()],
        );
        return rowCount === 1 ? { ...user, id } : undefined;
      }),
    count: () =>
      guarded(
        async () => (await pool.query<{ n: number }>('SELECT COUNT(*) AS n FROM users')).rows[0]!.n,
      ),
  };
}
