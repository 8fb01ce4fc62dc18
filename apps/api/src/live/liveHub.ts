import type { Todo } from '../store/types.js';

/** A change to one of a user's todos, as the live endpoint sends it. */
export interface TodoChange {
  type: 'todo';
  /** Increases by one per change of this user (in this process): a client sees a gap as a loss. */
  id: number;
  change: 'created' | 'updated' | 'deleted';
  todo: Todo | { id: string };
}

/** Who is told of a user's changes: the live connections of this process. */
export interface LiveHub {
  publish(userId: string, change: TodoChange['change'], todo: TodoChange['todo']): void;
  /** Calls `listener` with each change of `userId`'s todos; returns the unsubscribe function. */
  subscribe(userId: string, listener: (change: TodoChange) => void): () => void;
  /**
   * The changes of `userId` after `lastId`, to resume a stream (`Last-Event-ID`); `undefined`
   * when some of them are no longer kept (the client reloads the list instead).
   */
  since(userId: string, lastId: number): TodoChange[] | undefined;
}

/** How many recent changes per user are kept for resuming. */
export const KEPT_CHANGES = 100;

/**
 * The changes of each user's todos, told to the live connections of this process. One process
 * only: instances behind a balancer would share them over Redis pub/sub (not built; the API's
 * live endpoint serves the demo and the tests on one instance).
 */
export function createLiveHub(): LiveHub {
  const listeners = new Map<string, Set<(change: TodoChange) => void>>();
  const counts = new Map<string, number>();
  const recent = new Map<string, TodoChange[]>();
  return {
    publish(userId, change, todo) {
      const id = (counts.get(userId) ?? 0) + 1;
      counts.set(userId, id);
      const event: TodoChange = { type: 'todo', id, change, todo };
      const kept = recent.get(userId) ?? [];
      recent.set(userId, [...kept.slice(-(KEPT_CHANGES - 1)), event]);
      for (const listener of listeners.get(userId) ?? []) listener(event);
    },
    since(userId, lastId) {
      const kept = recent.get(userId) ?? [];
      const newest = counts.get(userId) ?? 0;
      if (lastId >= newest) return [];
      if (kept.length === 0 || kept[0]!.id > lastId + 1) return undefined;
      return kept.filter((event) => event.id > lastId);
    },
    subscribe(userId, listener) {
      const own = listeners.get(userId) ?? new Set();
      listeners.set(userId, own.add(listener));
      return () => {
        own.delete(listener);
        if (own.size === 0) listeners.delete(userId);
      };
    },
  };
}
