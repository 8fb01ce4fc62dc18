// @vitest-environment jsdom
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { act, cleanup, render, screen } from '@testing-library/react';
import type { ReactNode } from 'react';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  AuthProvider,
  authedQueryKey,
  authedQueryOptions,
  createAuthClient,
  useAuthedQuery,
  useAuthState,
  type AuthClient,
  type UseAuthedQueryOptions,
} from '../../index.js';
import { BASE, mockApi, USERS } from '@tokenlane/test-kit';

const api = mockApi();
beforeAll(() => api.server.listen({ onUnhandledRequest: 'error' }));
afterAll(() => api.server.close());

type Todo = { id: string; title: string };
const todos: UseAuthedQueryOptions<Todo[]> = {
  queryKey: ['todos'],
  staleTime: 60_000,
  queryFn: (http, { signal }) => http.get<Todo[]>('/api/todos', { signal }).then((r) => r.data),
};

let client: AuthClient;
let queryClient: QueryClient;
beforeEach(() => {
  api.reset();
  client = createAuthClient({ baseURL: BASE, crossTab: false });
  queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
});
afterEach(() => {
  cleanup();
  client.dispose();
  queryClient.clear();
});

function Providers({ children }: { children: ReactNode }) {
  return (
    <QueryClientProvider client={queryClient}>
      <AuthProvider client={client}>{children}</AuthProvider>
    </QueryClientProvider>
  );
}

function TodoList() {
  const list = useAuthedQuery(todos);
  return (
    <ul>
      {list.data?.map((todo) => (
        <li key={todo.id}>{todo.title}</li>
      ))}
    </ul>
  );
}

const signIn = (email: keyof typeof USERS) =>
  act(() => client.login({ email, password: 'pw' }).then(() => undefined));

describe('authedQueryKey', () => {
  it("appends the user's id, or null when signed out", () => {
    expect(authedQueryKey(['todos', 1], USERS['ada@example.com'])).toEqual([
      'todos',
      1,
      { user: 'ada' },
    ]);
    expect(authedQueryKey(['todos'], null)).toEqual(['todos', { user: null }]);
  });
});

describe('authedQueryOptions', () => {
  it('loads authed data in a loader (ensureQueryData) that the hook then shows without fetching again', async () => {
    await client.login({ email: 'ada@example.com', password: 'pw' });
    api.expire(); // the loader's request meets an expired token and renews it transparently
    const loaded = await queryClient.ensureQueryData(authedQueryOptions(client, todos));
    expect(loaded).toEqual([{ id: 'a1', title: 'Ada: analytical engine' }]);
    expect(api.state.todoFetches).toBe(2);
    expect(api.state.refreshCalls).toBe(1);
    render(
      <Providers>
        <TodoList />
      </Providers>,
    );
    expect(await screen.findByText('Ada: analytical engine')).toBeTruthy();
    expect(api.state.todoFetches).toBe(2);
  });

  it("reads and writes the hook's cache entry (an optimistic update shows at once)", async () => {
    render(
      <Providers>
        <TodoList />
      </Providers>,
    );
    await signIn('ada@example.com');
    await screen.findByText('Ada: analytical engine');
    const { queryKey } = authedQueryOptions(client, todos);
    expect(queryClient.getQueryData(queryKey)).toEqual([
      { id: 'a1', title: 'Ada: analytical engine' },
    ]);
    act(() => {
      queryClient.setQueryData(queryKey, (list = []) => [...list, { id: 'tmp', title: 'Draft' }]);
    });
    expect(await screen.findByText('Draft')).toBeTruthy();
  });

  it("keys each user's data apart: the second user never sees the first user's entry", async () => {
    await client.login({ email: 'ada@example.com', password: 'pw' });
    await queryClient.prefetchQuery(authedQueryOptions(client, todos));
    const adaKey = authedQueryOptions(client, todos).queryKey;
    await client.login({ email: 'bob@example.com', password: 'pw' });
    const bobKey = authedQueryOptions(client, todos).queryKey;
    expect(bobKey).not.toEqual(adaKey);
    expect(queryClient.getQueryData(bobKey)).toBeUndefined();
    expect(await queryClient.fetchQuery(authedQueryOptions(client, todos))).toEqual([
      { id: 'b1', title: 'Bob: build a house' },
    ]);
    expect(queryClient.getQueryData(adaKey)).toEqual([
      { id: 'a1', title: 'Ada: analytical engine' },
    ]);
  });
});

describe('useAuthState', () => {
  it('returns the state, or the selected part, re-rendering when it changes', async () => {
    const seen: string[] = [];
    function Expiry() {
      const status = useAuthState((state) => state.status);
      const { expiresAt } = useAuthState();
      seen.push(`${status}:${expiresAt === null ? 'none' : 'set'}`);
      return null;
    }
    render(
      <Providers>
        <Expiry />
      </Providers>,
    );
    await signIn('ada@example.com');
    expect(seen.at(0)).toBe('loading:none');
    expect(seen.at(-1)).toBe('authenticated:set');
  });
});
