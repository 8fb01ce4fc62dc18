import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import {
  AuthError,
  AuthGate,
  AuthProvider,
  AuthRequestError,
  createAuthClient,
  useAuth,
  useAuthedMutation,
  useAuthedQuery,
} from '@tokenlane/react-auth';

const auth = createAuthClient({ baseURL: '/' });
const queryClient = new QueryClient();

type Todo = { id: string; title: string; done: boolean };

function Todos() {
  const { user, logout } = useAuth();
  const todos = useAuthedQuery({
    queryKey: ['todos'],
    queryFn: (api, { signal }) => api.get<Todo[]>('/api/todos', { signal }).then((r) => r.data),
  });
  const add = useAuthedMutation({
    mutationFn: (api, title: string) => api.post<Todo>('/api/todos', { title }).then((r) => r.data),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['todos'] }),
  });
  return (
    <section>
      <p>Signed in as {user?.email}</p>
      <ul>
        {todos.data?.map((todo) => (
          <li key={todo.id}>{todo.title}</li>
        ))}
      </ul>
      <button onClick={() => add.mutate('Buy milk')}>Add</button>
      <button onClick={() => void logout()}>Log out</button>
    </section>
  );
}

function LoginForm() {
  const { login } = useAuth();
  const [error, setError] = useState<string | null>(null);
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    try {
      await login({ email: String(form.get('email')), password: String(form.get('password')) });
    } catch (caught) {
      // Every error Tokenlane throws is an AuthError with a stable code; anything else is a bug.
      if (!(caught instanceof AuthError)) throw caught;
      setError(
        caught instanceof AuthRequestError && caught.code === 'rate_limited'
          ? `Too many attempts: try again in ${caught.retryAfter ?? 60} s`
          : caught.code === 'invalid_credentials'
            ? 'Wrong email or password'
            : caught.code === 'endpoint_misconfigured'
              ? caught.message // the app is not wired to its server: see below
              : 'Cannot sign in right now',
      );
    }
  };
  return (
    <form onSubmit={(event) => void submit(event)}>
      <label>
        Email <input name="email" type="email" autoComplete="username" required />
      </label>
      <label>
        Password <input name="password" type="password" autoComplete="current-password" required />
      </label>
      {error ? <p role="alert">{error}</p> : null}
      <button type="submit">Sign in</button>
    </form>
  );
}

export default function App() {
  return (
    <QueryClientProvider client={queryClient}>
      <AuthProvider client={auth}>
        <AuthGate loading={<p>Loading…</p>} fallback={<LoginForm />}>
          <Todos />
        </AuthGate>
      </AuthProvider>
    </QueryClientProvider>
  );
}
