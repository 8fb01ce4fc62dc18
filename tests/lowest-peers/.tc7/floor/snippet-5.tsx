import { QueryClient } from '@tanstack/react-query';
import {
  authedQueryOptions,
  createAuthClient,
  useAuthClient,
  useAuthedMutation,
  useAuthedQuery,
  type UseAuthedQueryOptions,
} from '@tokenlane/react-auth';

type Todo = { id: string; title: string };

export const auth = createAuthClient();
export const queryClient = new QueryClient();
export const todosQuery: UseAuthedQueryOptions<Todo[]> = {
  queryKey: ['todos'],
  queryFn: (api, { signal }) => api.get<Todo[]>('/api/todos', { signal }).then((r) => r.data),
  staleTime: 30_000,
};

// A router loader: fetched through the authed instance, then shown by the hook from the cache.
export const todosLoader = () => queryClient.ensureQueryData(authedQueryOptions(auth, todosQuery));

export function useTodos() {
  return useAuthedQuery(todosQuery);
}

// An optimistic add: the new todo shows at once, and the server's list replaces it.
export function useAddTodo() {
  const client = useAuthClient();
  return useAuthedMutation({
    mutationFn: (api, title: string) => api.post<Todo>('/api/todos', { title }).then((r) => r.data),
    onMutate: async (title) => {
      const { queryKey } = authedQueryOptions(client, todosQuery);
      await queryClient.cancelQueries({ queryKey });
      const previous = queryClient.getQueryData(queryKey);
      queryClient.setQueryData(queryKey, (list = []) => [...list, { id: 'pending', title }]);
      return { previous };
    },
    onError: (_error, _title, context) => {
      queryClient.setQueryData(authedQueryOptions(client, todosQuery).queryKey, context?.previous);
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey: ['todos'] }),
  });
}
