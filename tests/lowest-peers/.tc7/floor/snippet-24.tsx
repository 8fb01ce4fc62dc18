// @vitest-environment jsdom
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, expect, it } from 'vitest';
import { AuthGate, AuthProvider, createAuthClient, useAuthedQuery } from '@tokenlane/react-auth';
import { createTestServer } from '@tokenlane/react-auth/testing';

function Todos() {
  const todos = useAuthedQuery({
    queryKey: ['todos'],
    queryFn: async (api) =>
      (await api.get<Array<{ id: number; title: string }>>('/api/todos')).data,
  });
  if (todos.isError) return <p>Something went wrong</p>;
  return (
    <ul>
      {todos.data?.map((todo) => (
        <li key={todo.id}>{todo.title}</li>
      ))}
    </ul>
  );
}

function renderApp(server: ReturnType<typeof createTestServer>) {
  const client = createAuthClient(server.clientOptions);
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(
    <QueryClientProvider client={queryClient}>
      <AuthProvider client={client}>
        <AuthGate loading={<p>Loading…</p>} fallback={<p>Please sign in</p>}>
          <Todos />
        </AuthGate>
      </AuthProvider>
    </QueryClientProvider>,
  );
  return { client, queryClient };
}

const user = { id: '1', email: 'ada@example.com', name: 'Ada', role: 'user' };
afterEach(cleanup);

it("renders the signed-in user's data", async () => {
  const server = createTestServer({
    user,
    handler: () => Response.json([{ id: 1, title: 'Milk' }]),
  });
  renderApp(server);
  expect(await screen.findByText('Milk')).toBeTruthy();
});

it('renews an expired token during a query without showing an error', async () => {
  let title = 'Milk';
  const server = createTestServer({ user, handler: () => Response.json([{ id: 1, title }]) });
  const { queryClient } = renderApp(server);
  await screen.findByText('Milk');
  server.expireToken();
  title = 'Bread';
  await queryClient.invalidateQueries();
  expect(await screen.findByText('Bread')).toBeTruthy();
  expect(screen.queryByText('Something went wrong')).toBeNull();
  expect(server.refreshCount()).toBe(2); // the restore on mount, and the renewal
});

it('shows the signed-out view when the refresh is refused', async () => {
  const server = createTestServer({ user, handler: () => Response.json([]) });
  const { queryClient } = renderApp(server);
  await screen.findByRole('list');
  server.expireToken();
  server.refuseNextRefresh();
  await queryClient.invalidateQueries();
  expect(await screen.findByText('Please sign in')).toBeTruthy();
});
