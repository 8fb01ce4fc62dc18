import { metrics, SpanStatusCode, trace } from '@opentelemetry/api';
import { loginOutcome, type Metrics } from './metrics.js';

/** What the app reports as it works: to Prometheus (`/metrics`), to OpenTelemetry, or both. */
export type Instruments = Pick<Metrics, 'rotation' | 'login' | 'limited' | 'storeCall'>;

/**
 * The API's OpenTelemetry, through `@opentelemetry/api` only (the SDK that exports it is started
 * by `src/otel.ts`): a span per login, rotation (its outcome; a reuse adds the events
 * `tokenlane.refresh.reuse_detected` and `tokenlane.refresh.family_revoked`) and store call, and
 * counters and a latency histogram. Attributes are a handful of fixed values: never a token, an
 * email, an IP or an id.
 */
export function createTelemetry(): Instruments {
  const tracer = trace.getTracer('@tokenlane/api');
  const meter = metrics.getMeter('@tokenlane/api');
  const counter = (name: string, description: string) => meter.createCounter(name, { description });
  const rotations = counter(
    'tokenlane.refresh.rotations',
    'Refresh-token presentations, by outcome (rotated, grace, reused, invalid).',
  );
  const reuse = counter(
    'tokenlane.refresh.reuse_detections',
    'Rotated refresh tokens presented again: each revoked its family.',
  );
  const logins = counter(
    'tokenlane.logins',
    'Login answers, by outcome (success, refused, rate_limited, error).',
  );
  const limited = counter(
    'tokenlane.rate_limit.refusals',
    'Requests refused by a rate limit, by limiter.',
  );
  const storeErrors = counter('tokenlane.store.errors', 'Store calls that failed, by operation.');
  const storeDuration = meter.createHistogram('tokenlane.store.duration', {
    description: 'Store call latency, by operation.',
    unit: 's',
  });
  return {
    rotation(kind) {
      rotations.add(1, { outcome: kind });
      const span = trace.getActiveSpan();
      span?.setAttribute('tokenlane.rotation.outcome', kind);
      if (kind === 'reused') {
        reuse.add(1);
        span?.addEvent('tokenlane.refresh.reuse_detected');
        span?.addEvent('tokenlane.refresh.family_revoked');
      }
    },
    login: (status) => logins.add(1, { outcome: loginOutcome(status) }),
    limited: (limiter) => limited.add(1, { limiter }),
    storeCall: (operation, call) =>
      tracer.startActiveSpan(
        'tokenlane.store',
        { attributes: { 'tokenlane.store.operation': operation } },
        async (span) => {
          const started = performance.now();
          try {
            return await call();
          } catch (error) {
            storeErrors.add(1, { operation });
            span.setStatus({ code: SpanStatusCode.ERROR, message: 'store call failed' });
            throw error;
          } finally {
            storeDuration.record((performance.now() - started) / 1000, { operation });
            span.end();
          }
        },
      ),
  };
}

/** Every instrument called in turn (Prometheus and OpenTelemetry both on). */
export function allInstruments(list: Instruments[]): Instruments | undefined {
  if (list.length <= 1) return list[0];
  return {
    rotation: (kind) => list.forEach((each) => each.rotation(kind)),
    login: (status) => list.forEach((each) => each.login(status)),
    limited: (limiter) => list.forEach((each) => each.limited(limiter)),
    storeCall: (operation, call) =>
      list.reduceRight<typeof call>(
        (inner, each) => () => each.storeCall(operation, inner),
        call,
      )(),
  };
}
