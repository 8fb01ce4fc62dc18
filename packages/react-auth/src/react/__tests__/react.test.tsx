// @vitest-environment jsdom
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { act, cleanup, render, screen, waitFor } from '@testing-library/react';
import { Profiler, StrictMode, Suspense, useEffect, version, type ReactNode } from 'react';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  AuthGate,
  AuthProvider,
  createAuthClient,
  SessionExpiredError,
  useApi,
  useAuth,
  useAuthedInfiniteQuery,
  useAuthedMutation,
  useAuthedQuery,
  useAuthedSuspenseQuery,
  type AuthClient,
} from '../../index.js';
import { BASE, mockApi } from '@tokenlane/test-kit';
import { fakeRuntime, settle } from '@tokenlane/test-kit/fakes';

const api = mockApi();
beforeAll(() => api.server.listen({ onUnhandledRequest: 'error' }));
afterAll(() => api.server.close());

let client: AuthClient;
let queryClient: QueryClient;
beforeEach(() => {
  api.reset();
  client = createAuthClient({ baseURL: BASE, crossTab: false });
  queryClient = new QueryClient({ defaultOptions: { queries: { retry: 2, retryDelay: 1 } } });
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

type Todo = { id: string; title: string };
const seen: string[] = [];

function Todos() {
  const todos = useAuthedQuery({
    queryKey: ['todos'],
    queryFn: (http, { signal }) => http.get<Todo[]>('/api/todos', { signal }).then((r) => r.data),
  });
  if (todos.isError) seen.push(`error:${todos.error.name}`);
  for (const todo of todos.data ?? []) seen.push(todo.title);
  return (
    <ul data-testid="todos">
      {todos.isError ? <li>error</li> : null}
      {todos.data?.map((todo) => (
        <li key={todo.id}>{todo.title}</li>
      ))}
    </ul>
  );
}

const login = (email: string) =>
  act(() => client.login({ email, password: 'pw' }).then(() => undefined));

describe('React version', () => {
  it('is the one this run targets (React 18 and 19 both run this file)', () => {
    expect(version.split('.')[0]).toBe(process.env.EXPECT_REACT_MAJOR);
  });
});

describe('AuthProvider and useAuthedQuery', () => {
  it('shows data after login, then survives token expiry with one refresh and no error ever rendered', async () => {
    seen.length = 0;
    render(
      <Providers>
        <AuthGate loading={<p>loading</p>} fallback={<p>signed out</p>}>
          <Todos />
        </AuthGate>
      </Providers>,
    );
    expect(await screen.findByText('signed out')).toBeTruthy();
    await login('ada@example.com');
    expect(await screen.findByText('Ada: analytical engine')).toBeTruthy();

    api.expire();
    const refreshesBefore = api.state.refreshCalls;
    await act(() => queryClient.invalidateQueries({ queryKey: ['todos'] }));
    await waitFor(() => expect(api.state.refreshCalls).toBe(refreshesBefore + 1));
    expect(screen.getByText('Ada: analytical engine')).toBeTruthy();
    expect(seen.filter((entry) => entry.startsWith('error'))).toEqual([]);
    expect(api.state.refreshCalls).toBe(refreshesBefore + 1);
  });

  it('AuthGate shows `unreachable` (not the login form) when the server cannot be reached at restore, then the app once it answers', async () => {
    await act(() =>
      client.login({ email: 'ada@example.com', password: 'pw' }).then(() => undefined),
    );
    const clock = fakeRuntime();
    // A reload: a new client with the refresh cookie, and the server down.
    const reloaded = createAuthClient({ baseURL: BASE, crossTab: false, runtime: clock.runtime });
    api.state.refreshFails = 'network';
    render(
      <QueryClientProvider client={queryClient}>
        <AuthProvider client={reloaded}>
          <AuthGate
            loading={<p>loading</p>}
            unreachable={<p>cannot reach the server</p>}
            fallback={<p>signed out</p>}
          >
            <Todos />
          </AuthGate>
        </AuthProvider>
      </QueryClientProvider>,
    );
    expect(screen.getByText('loading')).toBeTruthy();
    await act(() => clock.advance(2_500));
    expect(await screen.findByText('cannot reach the server')).toBeTruthy();
    api.state.refreshFails = null;
    await act(async () => {
      clock.wake();
      await settle();
    });
    expect(await screen.findByText('Ada: analytical engine')).toBeTruthy();
    expect(screen.queryByText('signed out')).toBeNull();
    reloaded.dispose();
  });

  it('does not re-render useAuth().user or unchanged query data on a token rotation', async () => {
    let renders = 0;
    function Profile() {
      const { user } = useAuth();
      const todos = useAuthedQuery({
        queryKey: ['todos'],
        queryFn: (http) => http.get<Todo[]>('/api/todos').then((r) => r.data),
      });
      return <p>{`${user?.name ?? '-'}:${todos.data?.length ?? 0}`}</p>;
    }
    render(
      <Providers>
        <Profiler id="profile" onRender={() => renders++}>
          <Profile />
        </Profiler>
      </Providers>,
    );
    await login('ada@example.com');
    expect(await screen.findByText('Ada:1')).toBeTruthy();
    const before = renders;
    await act(() => client.refresh({ force: true }).then(() => undefined));
    await act(() => client.refresh({ force: true }).then(() => undefined));
    expect(client.getState().status).toBe('authenticated');
    expect(renders).toBe(before);
  });

  it('re-renders on status changes', async () => {
    const statuses: string[] = [];
    function Status() {
      const { status, isAuthenticated } = useAuth();
      statuses.push(`${status}:${String(isAuthenticated)}`);
      return null;
    }
    render(
      <Providers>
        <Status />
      </Providers>,
    );
    await waitFor(() => expect(statuses.at(-1)).toBe('unauthenticated:false'));
    await login('ada@example.com');
    expect(statuses.at(-1)).toBe('authenticated:true');
    expect(statuses[0]).toBe('loading:false');
  });

  it('clears the cache on logout, and never shows the first user data to the second user', async () => {
    seen.length = 0;
    render(
      <Providers>
        <Todos />
      </Providers>,
    );
    await login('ada@example.com');
    expect(await screen.findByText('Ada: analytical engine')).toBeTruthy();
    await act(() => client.logout());
    // The still-mounted component re-registers its (now disabled, signed-out) query: no data in it.
    expect(
      queryClient
        .getQueryCache()
        .getAll()
        .map((q) => q.state.data),
    ).toEqual([undefined]);
    expect(screen.queryByText('Ada: analytical engine')).toBeNull();

    seen.length = 0;
    await login('bob@example.com');
    expect(await screen.findByText('Bob: build a house')).toBeTruthy();
    expect(seen.some((entry) => entry.startsWith('Ada'))).toBe(false);
  });

  it('clears the cache when the user changes without a logout', async () => {
    render(
      <Providers>
        <Todos />
      </Providers>,
    );
    await login('ada@example.com');
    await screen.findByText('Ada: analytical engine');
    seen.length = 0;
    await login('bob@example.com');
    expect(await screen.findByText('Bob: build a house')).toBeTruthy();
    expect(seen.some((entry) => entry.startsWith('Ada'))).toBe(false);
  });

  it('restores once under StrictMode', async () => {
    api.state.sessionUser = 'ada@example.com';
    // StrictMode runs the provider's effect twice; the second restore must join the first.
    const refreshes: string[] = [];
    client.on('refresh-start', ({ reason }) => refreshes.push(reason));
    // At the root: React runs effects twice only for a StrictMode that wraps the whole tree.
    render(
      <StrictMode>
        <Providers>
          <AuthGate loading={<p>loading</p>}>
            <Todos />
          </AuthGate>
        </Providers>
      </StrictMode>,
    );
    expect(screen.getByText('loading')).toBeTruthy();
    expect(await screen.findByText('Ada: analytical engine')).toBeTruthy();
    expect(refreshes).toEqual(['restore']);
    expect(api.state.refreshCalls).toBe(1);
  });

  it('renders the signed-out state, not an error, when restore finds no session; queries never fire', async () => {
    render(
      <Providers>
        <AuthGate loading={<p>loading</p>} fallback={<p>please sign in</p>}>
          <Todos />
        </AuthGate>
        <Todos />
      </Providers>,
    );
    expect(await screen.findByText('please sign in')).toBeTruthy();
    expect(screen.queryByText('error')).toBeNull();
    expect(api.state.todoFetches).toBe(0);
    expect(api.state.refreshCalls).toBe(1);
  });

  it('moves to signed out on SessionExpiredError mid-session, without a retry loop', async () => {
    seen.length = 0;
    render(
      <Providers>
        <AuthGate fallback={<p>signed out</p>}>
          <Todos />
        </AuthGate>
      </Providers>,
    );
    await login('ada@example.com');
    await screen.findByText('Ada: analytical engine');
    api.revokeSession();
    const fetchesBefore = api.state.todoFetches;
    const refreshesBefore = api.state.refreshCalls;
    await act(() => queryClient.invalidateQueries({ queryKey: ['todos'] }));
    expect(await screen.findByText('signed out')).toBeTruthy();
    // Nothing in flight and no retry waiting (a query waiting to retry counts as fetching).
    expect(queryClient.isFetching()).toBe(0);
    expect(api.state.refreshCalls - refreshesBefore).toBe(1);
    expect(api.state.todoFetches - fetchesBefore).toBe(1);
  });

  it('never lets TanStack retry a SessionExpiredError, even with retry configured', async () => {
    let failures = 0;
    function Probe() {
      const q = useAuthedQuery({
        queryKey: ['probe'],
        retry: 5,
        retryDelay: 1,
        queryFn: () => {
          failures++;
          return Promise.reject(new SessionExpiredError());
        },
      });
      return <p>{q.isError ? 'failed' : 'pending'}</p>;
    }
    render(
      <Providers>
        <Probe />
      </Providers>,
    );
    await login('ada@example.com');
    expect(await screen.findByText('failed')).toBeTruthy();
    expect(failures).toBe(1);
  });

  it('still retries other errors as configured, reading the current token each time', async () => {
    let attempts = 0;
    function Flaky() {
      const http = useApi();
      const q = useAuthedQuery({
        queryKey: ['flaky'],
        retry: 2,
        retryDelay: 1,
        queryFn: async () => {
          attempts++;
          if (attempts < 3) throw new Error('flaky');
          return (await http.get<Todo[]>('/api/todos')).data;
        },
      });
      return <p>{q.data ? 'ok' : 'pending'}</p>;
    }
    render(
      <Providers>
        <Flaky />
      </Providers>,
    );
    await login('ada@example.com');
    expect(await screen.findByText('ok')).toBeTruthy();
    expect(attempts).toBe(3);
  });
});

describe('useAuthedMutation', () => {
  it('calls the authed instance and refreshes transparently', async () => {
    const { http, HttpResponse } = await import('msw');
    api.server.use(
      http.post(`${BASE}/api/todos`, async ({ request }) => {
        // Only the token issued by the refresh (A1; the login issued A0) is accepted.
        if (request.headers.get('Authorization') !== 'Bearer A1') {
          return HttpResponse.json(
            { error: 'invalid_token' },
            { status: 401, headers: { 'WWW-Authenticate': 'Bearer error="invalid_token"' } },
          );
        }
        return HttpResponse.json(
          { id: 'n', ...((await request.json()) as object) },
          { status: 201 },
        );
      }),
    );
    const handle: { mutate?: (title: string) => Promise<Todo> } = {};
    function Add() {
      const add = useAuthedMutation({
        mutationFn: (http, title: string) =>
          http.post<Todo>('/api/todos', { title }).then((r) => r.data),
      });
      useEffect(() => {
        handle.mutate = add.mutateAsync;
      });
      return null;
    }
    render(
      <Providers>
        <Add />
      </Providers>,
    );
    await login('ada@example.com');
    api.expire();
    const refreshesBefore = api.state.refreshCalls;
    const created = await act(() => handle.mutate!('new'));
    expect(created).toEqual({ id: 'n', title: 'new' });
    expect(api.state.refreshCalls - refreshesBefore).toBe(1);
  });
});

describe('suspense and infinite variants', () => {
  it('useAuthedSuspenseQuery suspends through restore and renders the data', async () => {
    api.state.sessionUser = 'ada@example.com';
    function SuspenseTodos() {
      const { data } = useAuthedSuspenseQuery({
        queryKey: ['todos'],
        queryFn: (http) => http.get<Todo[]>('/api/todos').then((r) => r.data),
      });
      return <p>{data[0]?.title}</p>;
    }
    render(
      <Providers>
        <Suspense fallback={<p>suspended</p>}>
          <SuspenseTodos />
        </Suspense>
      </Providers>,
    );
    expect(screen.getByText('suspended')).toBeTruthy();
    expect(await screen.findByText('Ada: analytical engine')).toBeTruthy();
    expect(api.state.refreshCalls).toBe(1);
  });

  it('useAuthedInfiniteQuery pages through authed data, across an expiry', async () => {
    const handle: { fetchNext?: () => Promise<unknown> } = {};
    function Pages() {
      const q = useAuthedInfiniteQuery({
        queryKey: ['pages'],
        initialPageParam: 0,
        queryFn: (http, { pageParam }) =>
          http
            .get<{ items: string[]; next: number | null }>('/api/pages', {
              params: { page: pageParam },
            })
            .then((r) => r.data),
        getNextPageParam: (last) => last.next,
      });
      useEffect(() => {
        handle.fetchNext = q.fetchNextPage;
      });
      return <p>{q.data?.pages.flatMap((p) => p.items).join(',') ?? 'none'}</p>;
    }
    render(
      <Providers>
        <Pages />
      </Providers>,
    );
    await login('ada@example.com');
    expect(await screen.findByText('item-0,item-1')).toBeTruthy();
    api.expire();
    const refreshesBefore = api.state.refreshCalls;
    await act(() => handle.fetchNext!());
    expect(await screen.findByText('item-0,item-1,item-2,item-3')).toBeTruthy();
    expect(api.state.refreshCalls - refreshesBefore).toBe(1);
  });
});
