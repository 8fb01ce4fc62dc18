import { useApi, type AuthedFetch } from '@tokenlane/react-auth';
import { isAxiosError, type AxiosInstance } from 'axios';
import { useMemo } from 'react';

// The demo runs on either client (`?transport=fetch`), so the hooks' `api` is either request
// function; `demoApiOf(api)` builds the demo's calls on the one it is handed.
declare module '@tokenlane/react-auth' {
  interface Register {
    api: AxiosInstance | AuthedFetch;
  }
}

export interface Todo {
  id: string;
  title: string;
  done: boolean;
}

export interface Stats {
  users: number;
  todos: number;
  activeSessions: number;
}

/** Which client the demo runs on; `?transport=fetch` picks `createFetchClient`. */
export type Transport = 'axios' | 'fetch';

export const transportOf = (search: string): Transport =>
  new URLSearchParams(search).get('transport') === 'fetch' ? 'fetch' : 'axios';

/** Whether the page runs behind the BFF (`?mode=bff`): no token in the browser at all. */
export const bffModeOf = (search: string): boolean =>
  new URLSearchParams(search).get('mode') === 'bff';

/**
 * Where the API's routes are: `/api` (the API itself, through the dev server's proxy), or
 * `/bff-api` in BFF mode (the BFF's proxy, which adds the token).
 */
export const API =
  typeof location !== 'undefined' && bffModeOf(location.search) ? '/bff-api' : '/api';

/** Whether the page binds its tokens to a DPoP key (`?dpop=on`). */
export const dpopOf = (search: string): boolean => new URLSearchParams(search).get('dpop') === 'on';

/** An answer that was not 2xx, whichever transport carried it. */
export class HttpStatusError extends Error {
  constructor(readonly status: number) {
    super(`HTTP ${status}`);
    this.name = 'HttpStatusError';
  }
}

/** The demo's API calls; the screens are the same whichever transport carries them. */
export interface DemoApi {
  transport: Transport;
  /** Every page of the todo list (the API names the next page in `Link: <...>; rel="next"`). */
  listTodos(signal: AbortSignal): Promise<Todo[]>;
  /** The first page only: what the burst panel fires 50 of. */
  firstPage(): Promise<Todo[]>;
  addTodo(title: string): Promise<Todo>;
  setDone(todo: Todo, done: boolean): Promise<Todo>;
  deleteTodo(todo: Todo): Promise<void>;
  adminStats(): Promise<Stats>;
  /** The admin action: the stats counted afresh (`?fresh=1`, so a test tells its requests apart). */
  recount(): Promise<Stats>;
}

/** The next page the API names, on the path this page calls it by (the BFF's, in BFF mode). */
const nextPage = (link: string | null | undefined) =>
  /<([^>]+)>;\s*rel="next"/.exec(link ?? '')?.[1]?.replace(/^\/api\//, `${API}/`);

async function allPages(get: (url: string) => Promise<[Todo[], string | undefined]>) {
  const todos: Todo[] = [];
  for (let url: string | undefined = `${API}/todos`; url;) {
    const [page, next]: [Todo[], string | undefined] = await get(url);
    todos.push(...page);
    url = next;
  }
  return todos;
}

/** The demo over `client.axios`. */
export function axiosDemoApi(api: AxiosInstance): DemoApi {
  const call = async <T>(request: Promise<{ data: T }>): Promise<T> => {
    try {
      return (await request).data;
    } catch (error) {
      if (isAxiosError(error) && error.response) throw new HttpStatusError(error.response.status);
      throw error;
    }
  };
  return {
    transport: 'axios',
    listTodos: (signal) =>
      allPages(async (url) => {
        const res = await api.get<Todo[]>(url, { signal });
        return [res.data, nextPage(String(res.headers.link ?? ''))];
      }),
    firstPage: () => call(api.get<Todo[]>(`${API}/todos`)),
    addTodo: (title) => call(api.post<Todo>(`${API}/todos`, { title })),
    setDone: (todo, done) => call(api.patch<Todo>(`${API}/todos/${todo.id}`, { done })),
    deleteTodo: async (todo) => void (await call(api.delete(`${API}/todos/${todo.id}`))),
    adminStats: () => call(api.get<Stats>(`${API}/admin/stats`)),
    recount: () => call(api.get<Stats>(`${API}/admin/stats?fresh=1`)),
  };
}

/** The demo over `client.fetch`. */
export function fetchDemoApi(request: typeof fetch): DemoApi {
  const send = async (url: string, init?: RequestInit) => {
    const res = await request(url, init);
    if (res.ok) return res;
    // Read to the end: an unread body keeps the request open (Chromium then reports it aborted).
    await res.text();
    throw new HttpStatusError(res.status);
  };
  const json = <T>(method: string, url: string, body?: unknown): Promise<T> =>
    send(url, {
      method,
      headers: body === undefined ? undefined : { 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    }).then((res) => res.json() as Promise<T>);
  return {
    transport: 'fetch',
    listTodos: (signal) =>
      allPages(async (url) => {
        const res = await send(url, { signal });
        return [(await res.json()) as Todo[], nextPage(res.headers.get('link'))];
      }),
    firstPage: () => json<Todo[]>('GET', `${API}/todos`),
    addTodo: (title) => json<Todo>('POST', `${API}/todos`, { title }),
    setDone: (todo, done) => json<Todo>('PATCH', `${API}/todos/${todo.id}`, { done }),
    deleteTodo: async (todo) => void (await send(`${API}/todos/${todo.id}`, { method: 'DELETE' })),
    adminStats: () => json<Stats>('GET', `${API}/admin/stats`),
    recount: () => json<Stats>('GET', `${API}/admin/stats?fresh=1`),
  };
}

const isAxios = (api: AxiosInstance | AuthedFetch): api is AxiosInstance => 'interceptors' in api;

/** The demo's calls over the request function the hooks hand `queryFn` (the client's `api`). */
export const demoApiOf = (api: AxiosInstance | AuthedFetch): DemoApi =>
  isAxios(api) ? axiosDemoApi(api) : fetchDemoApi(api);

/** The demo's calls over the `api` of the client given to `<AuthProvider>`. */
export function useDemoApi(): DemoApi {
  const api = useApi();
  return useMemo(() => demoApiOf(api), [api]);
}
