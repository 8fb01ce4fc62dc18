import { hashPassword } from './services/passwords.js';
import type { Role, UserStore } from './store/types.js';

/** The users seeded on first start, with their passwords (shown on the demo's login form). */
export const DEMO_USERS: ReadonlyArray<{
  email: string;
  password: string;
  name: string;
  role: Role;
}> = [
  {
    email: 'demo@tokenlane.dev',
    password: 'correct-horse-battery-staple',
    name: 'Demo User',
    role: 'user',
  },
  {
    email: 'admin@tokenlane.dev',
    password: 'admin-horse-battery-staple',
    name: 'Admin',
    role: 'admin',
  },
];

/** Creates the demo users that do not exist yet; existing ones are left untouched. */
export async function seedDemoUsers(users: UserStore): Promise<void> {
  for (const demo of DEMO_USERS) {
    if (await users.findByEmail(demo.email)) continue;
    const { password, ...rest } = demo;
    await users.create({ ...rest, passwordHash: await hashPassword(password) });
  }
}
