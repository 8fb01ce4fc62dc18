// @vitest-environment jsdom
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { act, cleanup, render, screen, waitFor } from '@testing-library/react';
import type { ReactNode } from 'react';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  AuthProvider,
  authedQueryOptions,
  createFetchClient,
  useApi,
  useAuthedMutation,
  useAuthedQuery,
  type AuthedFetch,
  type FetchClient,
  type ReactAuthClient,
} from '../../fetch.js';
import { BASE, mockApi, USER } from '@tokenlane/test-kit';

const api = mockApi();
beforeAll(() => api.server.listen({ onUnhandledRequest: 'error' }));
afterAll(() => api.server.close());

let client: FetchClient;
let queryClient: QueryClient;
beforeEach(() => {
  api.reset();
  client = createFetchClient({ baseURL: BASE, crossTab: false });
  queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
});
afterEach(() => {
  cleanup();
  client.dispose();
  queryClient.clear();
});

const Providers = ({ children }: { children: ReactNode }) => (
  <QueryClientProvider client={queryClient}>
    <AuthProvider client={reactClient(client)}>{children}</AuthProvider>
  </QueryClientProvider>
);

type Todo = { id: string; title: string };

// This program's `Register` keeps the default `api` (axios, as most of these tests use): a fetch
// app registers `api: AuthedFetch` (tests/fetch-only type-checks that), here the tests say it.
const asFetch = (request: unknown) => request as AuthedFetch;
const reactClient = (fetchClient: FetchClient) => fetchClient as unknown as ReactAuthClient;

describe('the React bindings over a fetch client', () => {
  it('hand queryFn and mutationFn the client fetch, which renews the token once for the screen', async () => {
    const received: unknown[] = [];
    function Todos() {
      const todos = useAuthedQuery({
        queryKey: ['todos'],
        queryFn: async (api, { signal }) => {
          const request = asFetch(api);
          received.push(request);
          return (await (await request('/api/todos', { signal })).json()) as Todo[];
        },
      });
      const echo = useAuthedMutation({
        mutationFn: async (api, text: string) => {
          const request = asFetch(api);
          received.push(request);
          const answer = await request('/api/echo', {
            method: 'POST',
            body: JSON.stringify({ text }),
          });
          return (await answer.json()) as { text: string };
        },
      });
      received.push(useApi());
      return (
        <>
          <ul data-testid="todos">
            {todos.data?.map((todo) => (
              <li key={todo.id}>{todo.title}</li>
            ))}
          </ul>
          <button onClick={() => echo.mutate('hello')}>echo</button>
          <p data-testid="echo">{echo.data?.text}</p>
        </>
      );
    }
    await act(() => client.login({ email: USER.email, password: 'pw' }).then(() => undefined));
    api.expire();
    render(<Todos />, { wrapper: Providers });
    await waitFor(() => expect(screen.getByTestId('todos').children.length).toBeGreaterThan(0));
    act(() => screen.getByText('echo').click());
    await waitFor(() => expect(screen.getByTestId('echo').textContent).toBe('hello'));
    expect(new Set(received)).toEqual(new Set([client.fetch]));
    expect(api.state.refreshCalls).toBe(1);
  });

  it('authedQueryOptions binds queryFn to client.fetch', async () => {
    await client.login({ email: USER.email, password: 'pw' });
    const options = authedQueryOptions(reactClient(client), {
      queryKey: ['todos'],
      queryFn: async (api) => (await (await asFetch(api)('/api/todos')).json()) as Todo[],
    });
    const todos = await queryClient.fetchQuery(options);
    expect(todos.length).toBeGreaterThan(0);
    expect(queryClient.getQueryData(options.queryKey)).toBe(todos);
  });
});
