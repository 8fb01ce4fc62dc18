// An app on the lowest peers, compiled against the package's built declarations (skipLibCheck is
// off): every hook with the type inference an app relies on.
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import {
  AuthGate,
  AuthProvider,
  authedQueryOptions,
  createAuthClient,
  useAuth,
  useAuthedInfiniteQuery,
  useAuthedMutation,
  useAuthedQuery,
  useAuthedSuspenseQuery,
  useAuthState,
} from '@tokenlane/react-auth';
import type { Member } from './register.js';

const PAGE_SIZE = 20;
type Todo = { id: string; title: string };

export const auth = createAuthClient({ baseURL: '/' });
export const queryClient = new QueryClient();

const todosQuery = {
  queryKey: ['todos'] as const,
  queryFn: (api: typeof auth.axios) => api.get<Todo[]>('/api/todos').then((r) => r.data),
};

export const loadTodos = (): Promise<Todo[]> =>
  queryClient.ensureQueryData(authedQueryOptions(auth, todosQuery));

function Todos() {
  const { user, logout } = useAuth();
  const plan: Member['plan'] | undefined = user?.plan;
  const expiresAt: number | null = useAuthState((state) => state.expiresAt);
  const todos = useAuthedQuery(todosQuery);
  const count: number | undefined = todos.data?.length;
  const feed = useAuthedInfiniteQuery({
    queryKey: ['feed'],
    initialPageParam: 0,
    queryFn: (api, { pageParam }) =>
      api
        .get<string[]>('/api/feed', { params: { from: pageParam + PAGE_SIZE } })
        .then((r) => r.data),
    getNextPageParam: (last, _all, page) => (last.length === PAGE_SIZE ? page + PAGE_SIZE : null),
  });
  const add = useAuthedMutation({
    mutationFn: (api, title: string) => api.post<Todo>('/api/todos', { title }).then((r) => r.data),
  });
  return (
    <section>
      <p>
        {user?.email} {plan} {count} {expiresAt} {feed.data?.pages.length}
      </p>
      <button onClick={() => add.mutate('Buy milk')}>Add</button>
      <button onClick={() => void logout()}>Log out</button>
    </section>
  );
}

function Me() {
  const { data } = useAuthedSuspenseQuery({
    queryKey: ['me'],
    queryFn: (api) => api.get<{ name: string }>('/auth/me').then((r) => r.data),
  });
  const name: string = data.name;
  return <h1>{name}</h1>;
}

export function App() {
  return (
    <QueryClientProvider client={queryClient}>
      <AuthProvider client={auth}>
        <AuthGate fallback={<p>Sign in</p>}>
          <Todos />
          <Me />
        </AuthGate>
      </AuthProvider>
    </QueryClientProvider>
  );
}
