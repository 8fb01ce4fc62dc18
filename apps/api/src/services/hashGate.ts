/** The hashing capacity is used up: by this client (`client`) or by everyone (`server`). */
export class BusyError extends Error {
  override name = 'BusyError';
  constructor(readonly scope: 'client' | 'server') {
    super(scope === 'client' ? 'Too many sign-in attempts at once' : 'The server is busy');
  }
}

/** Runs password hashing with bounded concurrency, a short queue and a per-client share. */
export interface HashGate {
  /** Runs `fn` when a slot is free; rejects at once with `BusyError` when none can be had. */
  run<T>(client: string, fn: () => Promise<T>): Promise<T>;
}

/**
 * scrypt is slow on purpose, so a flood of sign-ins must not queue behind itself: at most
 * `concurrency` hashes run, at most `maxQueued` wait, and one client (IP) may hold at most
 * `perClient` of those places. Whatever does not fit is refused at once (fail fast), so a
 * legitimate sign-in waits for at most a few hashes, never for the flood.
 */
export function createHashGate(options: {
  concurrency: number;
  maxQueued: number;
  perClient: number;
}): HashGate {
  let running = 0;
  const waiting: Array<() => void> = [];
  const held = new Map<string, number>();

  const release = () => {
    const next = waiting.shift();
    if (next) next();
    else running--;
  };

  return {
    async run(client, fn) {
      const mine = held.get(client) ?? 0;
      if (mine >= options.perClient) throw new BusyError('client');
      const full = running >= options.concurrency;
      if (full && waiting.length >= options.maxQueued) throw new BusyError('server');
      held.set(client, mine + 1);
      try {
        // A freed slot is handed straight to the next waiter, so `running` counts held slots.
        if (full) await new Promise<void>((resolve) => waiting.push(resolve));
        else running++;
        try {
          return await fn();
        } finally {
          release();
        }
      } finally {
        const left = (held.get(client) ?? 1) - 1;
        if (left === 0) held.delete(client);
        else held.set(client, left);
      }
    },
  };
}
