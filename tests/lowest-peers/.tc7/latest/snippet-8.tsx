import { useQueryClient } from '@tanstack/react-query';
import { useAuthedMutation } from '@tokenlane/react-auth';

type Todo = { id: string; title: string; done: boolean };

export function useToggleTodo() {
  const queryClient = useQueryClient();
  return useAuthedMutation({
    mutationFn: (api, todo: Todo) =>
      api.patch<Todo>(`/api/todos/${todo.id}`, { done: !todo.done }).then((r) => r.data),
    onMutate: async (todo) => {
      await queryClient.cancelQueries({ queryKey: ['todos'] });
      queryClient.setQueriesData<Todo[]>({ queryKey: ['todos'] }, (list) =>
        list?.map((t) => (t.id === todo.id ? { ...t, done: !t.done } : t)),
      );
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey: ['todos'] }),
  });
}
