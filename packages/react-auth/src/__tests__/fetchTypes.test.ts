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
} from '@tokenlane/react-auth/fetch';

const client = createFetchClient({ baseURL: '/' });
const queryClient = new QueryClient();

export function Todos() {
  expectTypeOf(useApi()).toEqualTypeOf<AuthedFetch>();
  expectTypeOf(useAuthClient().api).toEqualTypeOf<AuthedFetch>();
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

describe('the hooks types, one set for every transport', () => {
  it('are fetch in an app without the axios client, and compile with axios nowhere to be found', () => {
    expect(typeCheck('fetch-only', { 'app.tsx': fetchOnlyApp }, { withoutAxios: true })).toEqual(
      [],
    );
  });

  it('are axios in an app that imports the axios client', () => {
    const axiosApp = `
      import { expectTypeOf } from 'vitest';
      import type { AxiosInstance } from 'axios';
      import { AuthProvider, createAuthClient, useApi, useAuthedQuery } from '@tokenlane/react-auth';
      export function Todos() {
        expectTypeOf(useApi()).toEqualTypeOf<AxiosInstance>();
        useAuthedQuery({ queryKey: ['todos'], queryFn: (api) => api.get<string[]>('/api/todos') });
        return null;
      }
      export const App = () => <AuthProvider client={createAuthClient()}><Todos /></AuthProvider>;
    `;
    expect(typeCheck('axios-app', { 'app.tsx': axiosApp })).toEqual([]);
  });

  it("follow Register's api, and refuse a client whose api is another", () => {
    const registered = `
      import { expectTypeOf } from 'vitest';
      import {
        AuthProvider,
        createAuthClient,
        createFetchClient,
        useApi,
        type AuthedFetch,
      } from '@tokenlane/react-auth';
      declare module '@tokenlane/react-auth' {
        interface Register {
          api: AuthedFetch;
        }
      }
      export function Todos() {
        expectTypeOf(useApi()).toEqualTypeOf<AuthedFetch>();
        return null;
      }
      export const Fine = () => <AuthProvider client={createFetchClient()}><Todos /></AuthProvider>;
      export const Wrong = () => <AuthProvider client={createAuthClient()} />;
    `;
    const problems = typeCheck('registered-api', { 'app.tsx': registered });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/app\.tsx:.*AxiosInstance.*AuthedFetch|AuthedFetch/s);
  });
});
