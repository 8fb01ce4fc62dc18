import { useQueryClient } from '@tanstack/react-query';
import { useAuthedMutation, useAuthedQuery } from '@tokenlane/react-auth';
import { useCallback, useRef, useState, type FormEvent } from 'react';
import { demoApiOf, dpopOf, type Todo } from './demoApi.js';
import { useLiveTodos } from './liveTodos.js';

const KEY = ['todos'];
// Live updates need a token the live endpoint takes: not with DPoP (a bound token has no proof on
// a WebSocket). In BFF mode the BFF puts its token on the socket. `?live=off` turns them off.
const LIVE = !dpopOf(location.search) && new URLSearchParams(location.search).get('live') !== 'off';

export function Todos() {
  const queryClient = useQueryClient();
  const [title, setTitle] = useState('');
  // The todos this tab changed: their live echoes are not news here.
  const own = useRef(new Set<string>());
  const isOwn = useCallback(
    (id: string) => queryClient.isMutating() > 0 || own.current.has(id),
    [queryClient],
  );
  const live = useLiveTodos(KEY, LIVE, isOwn);
  // The hooks hand queryFn and mutationFn the client's `api` (its axios instance or its fetch);
  // the demo's calls are built on it.
  const todos = useAuthedQuery({
    queryKey: KEY,
    queryFn: (api, { signal }) => demoApiOf(api).listTodos(signal),
  });

  // Optimistic updates: change the cached list at once, roll back on error, re-sync at the end.
  const optimistic = <V,>(change: (list: Todo[], variables: V) => Todo[]) => ({
    onMutate: async (variables: V) => {
      await queryClient.cancelQueries({ queryKey: KEY });
      const previous = queryClient.getQueriesData<Todo[]>({ queryKey: KEY });
      queryClient.setQueriesData<Todo[]>({ queryKey: KEY }, (list) =>
        change(list ?? [], variables),
      );
      return previous;
    },
    onError: (
      _error: Error,
      _variables: V,
      previous: Array<[readonly unknown[], Todo[] | undefined]> | undefined,
    ) => {
      previous?.forEach(([key, data]) => queryClient.setQueryData(key, data));
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey: KEY }),
  });

  const add = useAuthedMutation({
    mutationFn: (api, draft: { title: string; tempId: string }) =>
      demoApiOf(api)
        .addTodo(draft.title)
        .then((todo) => {
          own.current.add(todo.id);
          return todo;
        }),
    ...optimistic<{ title: string; tempId: string }>((list, draft) => [
      ...list,
      { id: draft.tempId, title: draft.title, done: false },
    ]),
  });
  const toggle = useAuthedMutation({
    mutationFn: (api, todo: Todo) => {
      own.current.add(todo.id);
      return demoApiOf(api).setDone(todo, !todo.done);
    },
    ...optimistic<Todo>((list, todo) =>
      list.map((t) => (t.id === todo.id ? { ...t, done: !t.done } : t)),
    ),
  });
  const remove = useAuthedMutation({
    mutationFn: (api, todo: Todo) => {
      own.current.add(todo.id);
      return demoApiOf(api)
        .deleteTodo(todo)
        .then(() => todo);
    },
    ...optimistic<Todo>((list, todo) => list.filter((t) => t.id !== todo.id)),
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    const trimmed = title.trim();
    if (!trimmed) return;
    add.mutate({ title: trimmed, tempId: `pending-${Date.now()}` });
    setTitle('');
  }

  const failed = todos.isError || add.isError || toggle.isError || remove.isError;
  const list = todos.data ?? [];
  return (
    <section className="card todos" aria-labelledby="todos-title">
      <h2 id="todos-title">Your todos</h2>
      {live === 'off' ? null : (
        <p className="muted" data-testid="live-status" data-status={live}>
          {live === 'live'
            ? 'Live: changes from your other tabs show here.'
            : 'Connecting live updates…'}
        </p>
      )}
      <form className="add" onSubmit={submit}>
        <label htmlFor="todo-title" className="visually-hidden">
          New todo
        </label>
        <input
          id="todo-title"
          data-testid="todo-input"
          placeholder="What needs doing?"
          maxLength={200}
          value={title}
          onChange={(event) => setTitle(event.target.value)}
        />
        <button type="submit" data-testid="todo-add" disabled={!title.trim()}>
          Add
        </button>
      </form>
      {failed ? (
        <p className="alert" role="alert" data-testid="todo-error">
          Something went wrong while saving. Your list was restored.
        </p>
      ) : null}
      {todos.isPending ? <p className="muted">Loading your todos…</p> : null}
      <ul data-testid="todo-list" className="todo-list">
        {list.map((todo) => (
          <li key={todo.id} data-testid="todo-item" className={todo.done ? 'done' : undefined}>
            <label>
              <input
                type="checkbox"
                checked={todo.done}
                disabled={todo.id.startsWith('pending-')}
                onChange={() => toggle.mutate(todo)}
              />
              <span>{todo.title}</span>
            </label>
            <button
              type="button"
              className="ghost danger"
              aria-label={`Delete ${todo.title}`}
              disabled={todo.id.startsWith('pending-')}
              onClick={() => remove.mutate(todo)}
            >
              Delete
            </button>
          </li>
        ))}
      </ul>
      {todos.isSuccess && list.length === 0 ? (
        <p className="muted">Nothing yet. Add your first todo.</p>
      ) : null}
    </section>
  );
}
