import { describe, expect, it } from 'vitest';
import { typeCheck } from './typeCheck.js';

const fetchOnlyApp = `
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { expectTypeOf } from 'vitest';
import {
  AuthProvider,
  authedQueryOptions,
  createFetchClient,
  useApi,
  useAuthedMutation,
  useAuthedQuery,
  useAuthedSuspenseQuery,
  useAuthedInfiniteQuery,
  useAuthClient,
  type AuthedFetch,
  type FetchClient,
} from '@tokenlane/react-auth/fetch';

const client = createFetchClient({ baseURL: '/' });
const queryClient = new QueryClient();

export function Todos() {
  expectTypeOf(useApi()).toEqualTypeOf<AuthedFetch>();
  expectTypeOf(useAuthClient()).toEqualTypeOf<FetchClient>();
  const todos = useAuthedQuery({
    queryKey: ['todos'],
    queryFn: async (request, { signal }) => {
      expectTypeOf(request).toEqualTypeOf<AuthedFetch>();
      // Per-request flags are typed too.
      await request('/api/public', { tokenlane: { auth: false } });
      return (await (await request('/api/todos', { signal })).json()) as string[];
    },
  });
  expectTypeOf(todos.data).toEqualTypeOf<string[] | undefined>();
  useAuthedSuspenseQuery({ queryKey: ['me'], queryFn: (request) => request('/api/me') });
  useAuthedInfiniteQuery({
    queryKey: ['pages'],
    initialPageParam: 0,
    getNextPageParam: () => undefined,
    queryFn: (request, { pageParam }) => request('/api/pages?page=' + String(pageParam)),
  });
  const add = useAuthedMutation({
    mutationFn: (request, title: string) =>
      request('/api/todos', { method: 'POST', body: JSON.stringify({ title }) }),
  });
  return <button onClick={() => add.mutate('milk')}>{todos.data?.length}</button>;
}

export const options = authedQueryOptions(client, {
  queryKey: ['todos'],
  queryFn: async (request) => (await request('/api/todos')).json() as Promise<number[]>,
});
expectTypeOf(queryClient.getQueryData(options.queryKey)).toEqualTypeOf<number[] | undefined>();

export const App = () => (
  <QueryClientProvider client={queryClient}>
    <AuthProvider client={client}>
      <Todos />
    </AuthProvider>
  </QueryClientProvider>
);
`;

describe('the ./fetch entry types', () => {
  it('type the hooks with fetch, and compile with axios nowhere to be found', () => {
    expect(typeCheck('fetch-only', { 'app.tsx': fetchOnlyApp }, { withoutAxios: true })).toEqual(
      [],
    );
  });

  it('refuse an axios client in the fetch provider (its hooks would get fetch, not axios)', () => {
    const mixed = `
      import { createAuthClient } from '@tokenlane/react-auth';
      import { AuthProvider } from '@tokenlane/react-auth/fetch';
      export const App = () => <AuthProvider client={createAuthClient()} />;
    `;
    expect(typeCheck('fetch-mixed', { 'app.tsx': mixed }).join('\n')).toMatch(/axios/);
  });
});
