/** At most one run at a time: callers that arrive while it runs share its promise. */
export interface SingleFlight<T, M> {
  /** The run in progress, with the metadata it started with. */
  readonly current: { promise: Promise<T>; meta: M } | undefined;
  run(meta: M, start: () => Promise<T>): Promise<T>;
}

export function createSingleFlight<T, M>(): SingleFlight<T, M> {
  let current: { promise: Promise<T>; meta: M } | undefined;
  return {
    get current() {
      return current;
    },
    run(meta, start) {
      if (current) return current.promise;
      // Only one run at a time: when this one settles, it is still the current one.
      const promise = start().finally(() => {
        current = undefined;
      });
      current = { promise, meta };
      return promise;
    },
  };
}
