import type { RefreshReason, Session } from '@tokenlane/core';
import type { OtelTracing } from '@tokenlane/core/otel';

/** One refresh as the devtools saw it: why it began, how long it took, how it ended. */
export interface RefreshRecord {
  id: number;
  reason: RefreshReason;
  /** Epoch milliseconds. */
  startedAt: number;
  /** `null` while it runs. */
  durationMs: number | null;
  outcome: 'running' | 'ok' | 'failed';
  /** The error's `code` (or name) when it failed. */
  error?: string;
  /** Its span's trace id, with tracing on (`otelTracing()`): the server's spans carry it too. */
  traceId?: string;
}

/** A message another tab sent, as this tab applied it. */
export interface CrossTabRecord {
  id: number;
  at: number;
  type: 'token' | 'logout';
}

/** The fetch/XHR requests of the page to one path, counted by HTTP status (0: not exposed). */
export interface NetworkRow {
  path: string;
  statuses: ReadonlyArray<readonly [status: number, count: number]>;
}

/** What the devtools show, newest first; `network` is `null` where the browser cannot tell. */
export interface DevtoolsSnapshot {
  refreshes: readonly RefreshRecord[];
  crossTab: readonly CrossTabRecord[];
  network: readonly NetworkRow[] | null;
}

/** Calls `onRequest` for each fetch/XHR request the page completes; returns a stop function. */
export type NetworkObserver = (onRequest: (url: string, status: number) => void) => () => void;

/** What a devtools log is built from (tests inject the clock and the network). */
export interface DevtoolsLogOptions {
  now?: () => number;
  /** `undefined` means the browser's `PerformanceObserver`; `null` shows no network. */
  observeNetwork?: NetworkObserver | null;
  /** The client's tracing, to show each refresh's trace id. */
  trace?: OtelTracing | undefined;
}

/** The session's recent history, as an external store for `useSyncExternalStore`. */
export interface DevtoolsLog {
  getSnapshot: () => DevtoolsSnapshot;
  subscribe: (listener: () => void) => () => void;
  /** Forgets what was recorded so far (to watch one burst from a clean slate). */
  clear: () => void;
  /** Stops listening to the client and the network. */
  dispose: () => void;
}

/** How many entries of each kind are kept. */
export const DEVTOOLS_HISTORY = 12;

type ResourceEntry = PerformanceEntry & { initiatorType?: string; responseStatus?: number };

/** The page's completed fetch/XHR requests, through `PerformanceObserver` (resource timing). */
export const performanceNetwork: NetworkObserver | null =
  typeof PerformanceObserver !== 'undefined' &&
  PerformanceObserver.supportedEntryTypes?.includes('resource')
    ? (onRequest) => {
        const observer = new PerformanceObserver((list) => {
          for (const entry of list.getEntries() as ResourceEntry[]) {
            if (entry.initiatorType === 'fetch' || entry.initiatorType === 'xmlhttprequest') {
              // Cross-origin answers without Timing-Allow-Origin expose no status: 0.
              onRequest(entry.name, entry.responseStatus ?? 0);
            }
          }
        });
        observer.observe({ type: 'resource' });
        return () => observer.disconnect();
      }
    : null;

const errorName = (error: Error) =>
  (error as Error & { code?: unknown }).code?.toString() ?? error.name;

/** Records what the client does from now on: refreshes, cross-tab messages, requests. */
export function createDevtoolsLog(
  client: Pick<Session<unknown, never>, 'on'>,
  options: DevtoolsLogOptions = {},
): DevtoolsLog {
  const now = options.now ?? Date.now;
  const observeNetwork =
    options.observeNetwork === undefined ? performanceNetwork : options.observeNetwork;
  let refreshes: RefreshRecord[] = [];
  let crossTab: CrossTabRecord[] = [];
  // Path -> status -> count, the most recently used path last.
  let network = new Map<string, Map<number, number>>();
  let snapshot: DevtoolsSnapshot | undefined;
  let id = 0;
  const listeners = new Set<() => void>();
  const changed = () => {
    snapshot = undefined;
    listeners.forEach((listener) => listener());
  };

  // Refreshes are single-flight: the one that ends is the newest that runs.
  const finish = (outcome: 'ok' | 'failed', error?: Error) => {
    const running = refreshes.find((record) => record.outcome === 'running');
    if (!running) return;
    const done: RefreshRecord = { ...running, outcome, durationMs: now() - running.startedAt };
    if (error) done.error = errorName(error);
    refreshes = refreshes.map((record) => (record === running ? done : record));
    changed();
  };

  const stops = [
    client.on('refresh-start', ({ reason }) => {
      const record: RefreshRecord = {
        id: ++id,
        reason,
        startedAt: now(),
        durationMs: null,
        outcome: 'running',
      };
      refreshes = [record, ...refreshes].slice(0, DEVTOOLS_HISTORY);
      changed();
    }),
    client.on('refresh-success', () => finish('ok')),
    client.on('refresh-failure', ({ error }) => finish('failed', error)),
    // Tracing tells the trace id as the refresh's span ends, before the refresh is told to end.
    options.trace?.on('refresh', ({ traceId }) => {
      refreshes = refreshes.map((record) =>
        record.outcome === 'running' ? { ...record, traceId } : record,
      );
      changed();
    }) ?? (() => {}),
    client.on('cross-tab', ({ type }) => {
      crossTab = [{ id: ++id, at: now(), type }, ...crossTab].slice(0, DEVTOOLS_HISTORY);
      changed();
    }),
  ];
  const stopNetwork = observeNetwork?.((url, status) => {
    const path = new URL(url, 'http://tokenlane.invalid').pathname;
    const statuses = network.get(path) ?? new Map<number, number>();
    network.delete(path);
    network.set(path, statuses.set(status, (statuses.get(status) ?? 0) + 1));
    if (network.size > DEVTOOLS_HISTORY) network.delete(network.keys().next().value as string);
    changed();
  });

  return {
    getSnapshot: () =>
      (snapshot ??= {
        refreshes,
        crossTab,
        network: observeNetwork
          ? [...network].reverse().map(([path, statuses]) => ({
              path,
              statuses: [...statuses].sort(([a], [b]) => a - b),
            }))
          : null,
      }),
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    clear() {
      refreshes = refreshes.filter((record) => record.outcome === 'running');
      crossTab = [];
      network = new Map();
      changed();
    },
    dispose() {
      stops.forEach((stop) => stop());
      stopNetwork?.();
      listeners.clear();
    },
  };
}
