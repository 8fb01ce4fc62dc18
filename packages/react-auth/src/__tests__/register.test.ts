import { describe, expect, it } from 'vitest';
import { typeCheck } from './typeCheck.js';

const usage = `
import { QueryClient } from '@tanstack/react-query';
import { expectTypeOf } from 'vitest';
import {
  authedQueryOptions,
  createAuthClient,
  useAuth,
  useAuthClient,
  useAuthState,
} from '@tokenlane/react-auth';

export interface Member {
  id: string;
  email: string;
  plan: 'free' | 'pro';
}

export function Profile() {
  expectTypeOf(useAuth().user).toEqualTypeOf<Member | null>();
  expectTypeOf(useAuthClient().getState().user).toEqualTypeOf<Member | null>();
  expectTypeOf(useAuthState((state) => state.user)).toEqualTypeOf<Member | null>();
  return null;
}

const auth = createAuthClient();
expectTypeOf(auth.getState().user).toEqualTypeOf<Member | null>();
auth.on('login', ({ user }) => expectTypeOf(user).toEqualTypeOf<Member | null>());

const todos = authedQueryOptions(auth, {
  queryKey: ['todos'],
  queryFn: async (api) => (await api.get<Array<{ id: number }>>('/api/todos')).data,
});
expectTypeOf(new QueryClient().getQueryData(todos.queryKey)).toEqualTypeOf<
  Array<{ id: number }> | undefined
>();
`;

const register = `
import type { Member } from './usage';

declare module '@tokenlane/react-auth' {
  interface Register {
    user: Member;
  }
}
`;

describe('Register', () => {
  it('gives every hook, the client and its events the registered user type, with no type argument', () => {
    expect(typeCheck('register', { 'usage.tsx': usage, 'register.ts': register })).toEqual([]);
  });

  it('is what makes those checks pass: without it the user is AuthUser', () => {
    const problems = typeCheck('unregistered', { 'usage.tsx': usage });
    expect(problems.length).toBeGreaterThanOrEqual(5);
    expect(problems.join('\n')).toMatch(/usage\.tsx/);
  });
});
