import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';
import type { RotateResult, Stores } from '../store/types.js';

/**
 * What the API counts for operators who scrape (`GET /metrics`, Prometheus text format). Every
 * label has a handful of values fixed here: never a token, an email, an IP or an id.
 */
export interface Metrics {
  registry: Registry;
  /** A refresh's outcome: rotated, grace (a racing tab's parent), reused (family revoked), invalid. */
  rotation: (kind: RotateResult['kind']) => void;
  /** A login's outcome, by the answer's status. */
  login: (status: number) => void;
  /** A request refused by the rate limit `limiter` (`login`, `login-ip`, `login-account`, `register`). */
  limited: (limiter: string) => void;
  /** Times one store call and counts it if it fails; `operation` is `<store>.<method>`. */
  storeCall: <T>(operation: string, call: () => Promise<T>) => Promise<T>;
}

/** A login answer's status as one of four words (a metric label). */
export const loginOutcome = (status: number) =>
  status < 300 ? 'success' : status === 429 ? 'rate_limited' : status < 500 ? 'refused' : 'error';

/** A registry of its own (several apps in one process, as in the tests, do not share counters). */
export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'tokenlane_' });
  const rotations = new Counter({
    name: 'tokenlane_refresh_rotations_total',
    help: 'Refresh-token presentations, by outcome (rotated, grace, reused, invalid).',
    labelNames: ['outcome'] as const,
    registers: [registry],
  });
  const reuse = new Counter({
    name: 'tokenlane_refresh_reuse_detections_total',
    help: 'Rotated refresh tokens presented again: each revoked its family.',
    registers: [registry],
  });
  const logins = new Counter({
    name: 'tokenlane_logins_total',
    help: 'Login answers, by outcome (success, refused, rate_limited, error).',
    labelNames: ['outcome'] as const,
    registers: [registry],
  });
  const limited = new Counter({
    name: 'tokenlane_rate_limit_refusals_total',
    help: 'Requests refused by a rate limit, by limiter.',
    labelNames: ['limiter'] as const,
    registers: [registry],
  });
  const storeErrors = new Counter({
    name: 'tokenlane_store_errors_total',
    help: 'Store calls that failed, by operation.',
    labelNames: ['operation'] as const,
    registers: [registry],
  });
  const storeSeconds = new Histogram({
    name: 'tokenlane_store_duration_seconds',
    help: 'Store call latency, by operation.',
    labelNames: ['operation'] as const,
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
    registers: [registry],
  });
  // Zero from the start: a rate with no event yet reads 0, not "no data".
  for (const outcome of ['rotated', 'grace', 'reused', 'invalid']) rotations.inc({ outcome }, 0);
  reuse.inc(0);
  return {
    registry,
    rotation: (kind) => {
      rotations.inc({ outcome: kind });
      if (kind === 'reused') reuse.inc();
    },
    login: (status) => logins.inc({ outcome: loginOutcome(status) }),
    limited: (limiter) => limited.inc({ limiter }),
    storeCall: async (operation, call) => {
      const end = storeSeconds.startTimer({ operation });
      try {
        return await call();
      } catch (error) {
        storeErrors.inc({ operation });
        throw error;
      } finally {
        end();
      }
    },
  };
}

/** The stores with every call of `users`, `todos`, `refresh` and `proofs` timed and its failures counted. */
export function instrumentStores(stores: Stores, metrics: Pick<Metrics, 'storeCall'>): Stores {
  const wrap = <T extends object>(name: string, store: T): T =>
    new Proxy(store, {
      get(target, property, receiver) {
        const value: unknown = Reflect.get(target, property, receiver);
        if (typeof value !== 'function' || typeof property !== 'string') return value;
        const method = value as (...args: unknown[]) => unknown;
        return (...args: unknown[]) =>
          metrics.storeCall(
            `${name}.${property}`,
            () => method.apply(target, args) as Promise<unknown>,
          );
      },
    });
  return {
    ...stores,
    users: wrap('users', stores.users),
    todos: wrap('todos', stores.todos),
    refresh: wrap('refresh', stores.refresh),
    proofs: wrap('proofs', stores.proofs),
    close: () => stores.close(),
  };
}
