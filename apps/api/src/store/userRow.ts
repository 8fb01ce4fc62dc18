import type { Role, UserRecord } from './types.js';

/** A user as the SQL stores keep it. */
export interface UserRow {
  id: string;
  email: string;
  name: string;
  role: Role;
  password_hash: string;
}

export const toUser = (row: UserRow | undefined): UserRecord | undefined =>
  row && {
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role,
    passwordHash: row.password_hash,
  };
