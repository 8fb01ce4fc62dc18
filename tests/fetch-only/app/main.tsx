// A small app that uses Tokenlane only through the fetch entry: client, provider, hooks.
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import {
  AuthGate,
  AuthProvider,
  createFetchClient,
  useAuth,
  useAuthedMutation,
  useAuthedQuery,
} from '@tokenlane/react-auth/fetch';
import { createRoot } from 'react-dom/client';

const auth = createFetchClient();
const queryClient = new QueryClient();

function Todos() {
  const { user, logout } = useAuth();
  const todos = useAuthedQuery({
    queryKey: ['todos'],
    queryFn: async (request, { signal }) =>
      (await request('/api/todos', { signal })).json() as Promise<
        Array<{ id: string; title: string }>
      >,
  });
  const add = useAuthedMutation({
    mutationFn: (request, title: string) =>
      request('/api/todos', { method: 'POST', body: JSON.stringify({ title }) }),
  });
  return (
    <main>
      <p>{user?.email}</p>
      <ul>
        {todos.data?.map((todo) => (
          <li key={todo.id}>{todo.title}</li>
        ))}
      </ul>
      <button onClick={() => add.mutate('milk')}>Add</button>
      <button onClick={() => void logout()}>Log out</button>
    </main>
  );
}

createRoot(document.getElementById('root')!).render(
  <QueryClientProvider client={queryClient}>
    <AuthProvider client={auth}>
      <AuthGate loading={<p>…</p>} fallback={<p>Signed out</p>}>
        <Todos />
      </AuthGate>
    </AuthProvider>
  </QueryClientProvider>,
);
