import {
  context,
  isSpanContextValid,
  SpanStatusCode,
  trace,
  type Span,
  type Tracer,
} from '@opentelemetry/api';
import type { PluginContext, SessionParts, TokenlanePlugin } from '../session/plugin.js';
import type { RefreshReason } from '../session/types.js';

/** How a refresh ended: `renewed` (this tab's call), `reused` (another tab's token), `expired`, `failed`. */
export type RefreshOutcome = 'renewed' | 'reused' | 'expired' | 'failed';

/** One refresh as its span recorded it (what the devtools list). */
export interface TracedRefresh {
  /** The span's trace id: the server's spans for this refresh carry it too. */
  traceId: string;
  spanId: string;
  reason: RefreshReason;
  outcome: RefreshOutcome;
  /** Calls to the refresh endpoint (retries after network errors and 5xx included). */
  attempts: number;
  /** Requests that waited for it (the one that started it included). */
  queued: number;
  /** Whether it waited for another tab (the cross-tab lock was taken). */
  waitedForTab: boolean;
}

/** Options of `otelTracing`. */
export interface OtelTracingOptions {
  /** @default `trace.getTracer('@tokenlane/react-auth')`, from the app's registered provider */
  tracer?: Tracer;
}

/** Tracing for a client (a plug-in: `plugins: [tracing]`), and its refreshes as they end. */
export interface OtelTracing extends TokenlanePlugin {
  readonly name: 'otel';
  /** Spans around the refresh call (with its `traceparent`) and the wait for the refresh lock. */
  wrap: (parts: SessionParts) => SessionParts;
  /** Spans for each refresh and restore, from the session's events. */
  setup: (context: Pick<PluginContext, 'session' | 'port'>) => void;
  /** Calls `listener` as each refresh's span ends; returns an unsubscribe function. */
  on: (event: 'refresh', listener: (refresh: TracedRefresh) => void) => () => void;
}

/** The W3C `traceparent` of `span`, or `undefined` for a span that is not recorded anywhere. */
function traceparent(span: Span | undefined): Record<string, string> | undefined {
  const spanContext = span?.spanContext();
  if (!spanContext || !isSpanContextValid(spanContext)) return undefined;
  const flags = spanContext.traceFlags.toString(16).padStart(2, '0');
  return { traceparent: `00-${spanContext.traceId}-${spanContext.spanId}-${flags}` };
}

/**
 * OpenTelemetry for the session, with `@opentelemetry/api` only (the app registers its SDK and
 * exporter): a `tokenlane.refresh` span per refresh (reason, attempts, queued requests, whether
 * it waited for another tab, outcome), a `tokenlane.refresh.lock` span per cross-tab wait and a
 * `tokenlane.restore` span per restore; the refresh call carries the span's `traceparent`, so
 * the server's spans are its children. No attribute holds a token, a user or an address.
 */
export function otelTracing(options: OtelTracingOptions = {}): OtelTracing {
  const tracer = options.tracer ?? trace.getTracer('@tokenlane/react-auth');
  const listeners = new Set<(refresh: TracedRefresh) => void>();
  let refreshSpan: Span | undefined;
  let restoreSpan: Span | undefined;
  let current = { attempts: 0, queued: 0, waitedForTab: false };
  const within = (span: Span | undefined) =>
    span ? trace.setSpan(context.active(), span) : undefined;

  return {
    name: 'otel',
    wrap: (parts) => ({
      ...parts,
      transport: {
        ...parts.transport,
        refresh(refreshToken) {
          current.attempts++;
          // Active while the call is made: an instrumented HTTP client (Node's) nests its span
          // under the refresh, and its own traceparent stays in the trace.
          return context.with(within(refreshSpan) ?? context.active(), () =>
            parts.transport.refresh(refreshToken, traceparent(refreshSpan)),
          );
        },
      },
      lock(name, acquireTimeoutMs, fn) {
        // A sign-in waits for the refresh lock too: that wait is not a refresh's.
        if (!refreshSpan) return parts.lock(name, acquireTimeoutMs, fn);
        const span = tracer.startSpan('tokenlane.refresh.lock', {}, within(refreshSpan));
        return parts.lock(name, acquireTimeoutMs, (grant) => {
          current.waitedForTab = grant.waited;
          span.setAttributes({
            'tokenlane.lock.waited': grant.waited,
            'tokenlane.lock.held': grant.held !== false,
          });
          span.end();
          return fn(grant);
        });
      },
    }),

    setup({ session, port }) {
      session.on('refresh-start', ({ reason }) => {
        current = { attempts: 0, queued: 0, waitedForTab: false };
        refreshSpan = tracer.startSpan(
          'tokenlane.refresh',
          { attributes: { 'tokenlane.refresh.reason': reason } },
          within(reason === 'restore' ? restoreSpan : undefined),
        );
      });
      const finish = (reason: RefreshReason, outcome: RefreshOutcome) => {
        const span = refreshSpan;
        refreshSpan = undefined;
        if (!span) return;
        span.setAttributes({
          'tokenlane.refresh.attempts': current.attempts,
          'tokenlane.refresh.queued': current.queued,
          'tokenlane.refresh.waited_for_tab': current.waitedForTab,
          'tokenlane.refresh.outcome': outcome,
        });
        if (outcome === 'expired' || outcome === 'failed') {
          span.setStatus({ code: SpanStatusCode.ERROR, message: outcome });
        }
        span.end();
        const { traceId, spanId } = span.spanContext();
        listeners.forEach((listener) => listener({ traceId, spanId, reason, outcome, ...current }));
      };
      session.on('refresh-success', ({ reason }) =>
        finish(reason, current.attempts > 0 ? 'renewed' : 'reused'),
      );
      session.on('refresh-failure', ({ reason, error }) =>
        finish(reason, error.name === 'SessionExpiredError' ? 'expired' : 'failed'),
      );

      // Requests that wait for the refresh in flight: counted as they ask for a token (through an
      // adapter's port, or the client's own `getAccessToken()`).
      const counted =
        <A extends unknown[]>(ask: (...args: A) => Promise<string | null>) =>
        (...args: A) => {
          const token = ask(...args);
          if (refreshSpan) current.queued++;
          return token;
        };
      port.getAccessToken = counted(port.getAccessToken);
      session.getAccessToken = counted(session.getAccessToken);
      const renewAfterRejection = counted(port.renewAfterRejection.bind(port));
      port.renewAfterRejection = (sentWith) => renewAfterRejection(sentWith) as Promise<string>;

      const { restore } = session;
      session.restore = () => {
        const span = tracer.startSpan('tokenlane.restore');
        restoreSpan = span;
        return restore().then((state) => {
          span.setAttribute('tokenlane.restore.status', state.status);
          span.end();
          if (restoreSpan === span) restoreSpan = undefined;
          return state;
        });
      };
    },

    on(_event, listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
