import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import {
  AuthProvider,
  createFetchClient,
  useAuthedMutation,
  useAuthedQuery,
} from '@tokenlane/react-auth/fetch';

const auth = createFetchClient();
const queryClient = new QueryClient();

type Todo = { id: number; title: string };

function Todos() {
  const todos = useAuthedQuery({
    queryKey: ['todos'],
    queryFn: async (request, { signal }) =>
      (await request('/api/todos', { signal })).json() as Promise<Todo[]>,
  });
  const add = useAuthedMutation({
    mutationFn: (request, title: string) =>
      request('/api/todos', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ title }),
      }),
  });
  return <button onClick={() => add.mutate('milk')}>{todos.data?.length ?? 0} todos</button>;
}

export const App = () => (
  <QueryClientProvider client={queryClient}>
    <AuthProvider client={auth}>
      <Todos />
    </AuthProvider>
  </QueryClientProvider>
);
