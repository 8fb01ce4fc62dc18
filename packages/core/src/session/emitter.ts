/** A typed event emitter: `on` returns its own unsubscribe. */
export interface Emitter<E> {
  on: <K extends keyof E>(event: K, listener: (payload: E[K]) => void) => () => void;
  emit: <K extends keyof E>(event: K, payload: E[K]) => void;
}

export function createEmitter<E>(): Emitter<E> {
  const listeners = new Map<keyof E, Set<(payload: never) => void>>();
  return {
    on(name, listener) {
      // One separator for event names (`refresh-start`); 0.1's `refresh:start` is heard as it.
      const event = String(name).replace(':', '-') as keyof E;
      const set = listeners.get(event) ?? new Set();
      listeners.set(event, set);
      set.add(listener);
      return () => set.delete(listener);
    },
    emit(event, payload) {
      // A throwing listener must not break the session or the other listeners.
      listeners.get(event)?.forEach((listener) => {
        try {
          (listener as (payload: E[typeof event]) => void)(payload);
        } catch (error) {
          console.error(error);
        }
      });
    },
  };
}
