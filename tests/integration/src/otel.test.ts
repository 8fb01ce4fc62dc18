import {
  AggregationTemporality,
  InMemoryMetricExporter,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import {
  InMemorySpanExporter,
  SimpleSpanProcessor,
  type ReadableSpan,
} from '@opentelemetry/sdk-trace-base';
import { startOtel } from '@tokenlane/api/otel';
import type * as Testing from '@tokenlane/test-harness';
import { otelTracing, type TracedRefresh } from '@tokenlane/react-auth/otel';
import { withCookieJar } from '@tokenlane/test-servers/cookieJar';
import { transports, type TestClient } from '@tokenlane/test-servers/transports';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

// Issue 25: OpenTelemetry from the click to the store. The API runs in this process with OTEL=on
// under OpenTelemetry's Node SDK (its HTTP and Express instrumentations), the client records its
// spans through the same SDK, and everything lands in sdk-trace-base's InMemorySpanExporter and
// sdk-metrics' InMemoryMetricExporter: one refresh span per burst on the client, the server's
// rotation span in its trace, below it; a reuse as span events; no token, email or IP anywhere.

const spans = new InMemorySpanExporter();
const metricExporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
const reader = new PeriodicExportingMetricReader({
  exporter: metricExporter,
  exportIntervalMillis: 3_600_000,
});
let sdk: ReturnType<typeof startOtel>;
let api: Awaited<ReturnType<typeof Testing.startTestApi>>;
/** Every token the test saw, to look for in what was recorded. */
const secrets = new Set<string>();

/** The API's test helpers, loaded once the SDK runs (so that express and http are instrumented). */
let testing: typeof Testing;
let DEMO: { email: string; password: string };

beforeAll(async () => {
  sdk = startOtel({ spanProcessors: [new SimpleSpanProcessor(spans)], metricReader: reader });
  testing = await import('@tokenlane/test-harness');
  DEMO = testing.DEMO;
  api = await testing.startTestApi({ accessTokenTtlSeconds: 60, env: { OTEL: 'on' } });
});
afterAll(async () => {
  await api?.close();
  await sdk?.shutdown();
});
const clients: TestClient[] = [];
afterEach(() => clients.splice(0).forEach((client) => client.dispose()));

/** The spans recorded so far, by id. */
const byId = () =>
  new Map(spans.getFinishedSpans().map((span) => [span.spanContext().spanId, span]));

/** `span`'s ancestors, nearest first. */
function ancestors(span: ReadableSpan): ReadableSpan[] {
  const all = byId();
  const chain: ReadableSpan[] = [];
  for (let at = all.get(span.parentSpanContext?.spanId ?? ''); at;) {
    chain.push(at);
    at = all.get(at.parentSpanContext?.spanId ?? '');
  }
  return chain;
}

const named = (name: string, scope: string) =>
  spans
    .getFinishedSpans()
    .filter((span) => span.name === name && span.instrumentationScope.name === scope);

describe.each(transports)('traces over $name', (transport) => {
  it("gives a burst after expiry one client refresh span, the parent of the server's rotation", async () => {
    const tracing = otelTracing();
    const told: TracedRefresh[] = [];
    tracing.on('refresh', (refresh) => told.push(refresh));
    const c = transport.create(
      { baseURL: api.url, crossTab: false, trace: tracing },
      withCookieJar(),
    );
    clients.push(c);
    await c.login(DEMO);
    secrets.add((await c.getAccessToken())!);
    c.expire();
    spans.reset();
    const statuses = await Promise.all(Array.from({ length: 20 }, () => c.get('/api/todos')));
    expect(statuses).toEqual(Array.from({ length: 20 }, () => 200));
    secrets.add((await c.getAccessToken())!);

    const [refresh, ...otherRefreshes] = named('tokenlane.refresh', '@tokenlane/react-auth');
    expect(otherRefreshes).toEqual([]);
    expect(refresh!.attributes).toMatchObject({
      'tokenlane.refresh.reason': 'expired',
      'tokenlane.refresh.attempts': 1,
      'tokenlane.refresh.queued': 20,
      'tokenlane.refresh.outcome': 'renewed',
    });
    const [rotation, ...otherRotations] = named('tokenlane.rotation', '@tokenlane/api');
    expect(otherRotations).toEqual([]);
    expect(rotation!.attributes['tokenlane.rotation.outcome']).toBe('rotated');
    expect(rotation!.spanContext().traceId).toBe(refresh!.spanContext().traceId);
    expect(ancestors(rotation!)).toContain(refresh);
    // The rotation's store calls are its children.
    const rotate = named('tokenlane.store', '@tokenlane/api').find(
      (span) => span.attributes['tokenlane.store.operation'] === 'refresh.rotate',
    );
    expect(rotate?.parentSpanContext?.spanId).toBe(rotation!.spanContext().spanId);
    expect(told).toEqual([
      expect.objectContaining({ traceId: refresh!.spanContext().traceId, outcome: 'renewed' }),
    ]);
  });
});

describe('the server side', () => {
  it('records a login span, and a reuse as span events on the rotation that revoked the family', async () => {
    spans.reset();
    const login = await testing.postAuth(`${api.url}/auth/login`, undefined, DEMO);
    expect(login.status).toBe(200);
    secrets.add(((await login.json()) as { accessToken: string }).accessToken);
    const first = testing.refreshCookieFrom(login)!;
    const second = testing.refreshCookieFrom(
      await testing.postAuth(`${api.url}/auth/refresh`, first),
    )!;
    const third = testing.refreshCookieFrom(
      await testing.postAuth(`${api.url}/auth/refresh`, second),
    )!;
    [first, second, third].forEach((token) => secrets.add(token));
    // The first token again, after its child was used: reuse, and the family is revoked.
    expect((await testing.postAuth(`${api.url}/auth/refresh`, first)).status).toBe(401);

    expect(named('tokenlane.login', '@tokenlane/api')).toHaveLength(1);
    const rotations = named('tokenlane.rotation', '@tokenlane/api');
    expect(rotations.map((span) => span.attributes['tokenlane.rotation.outcome'])).toEqual([
      'rotated',
      'rotated',
      'reused',
    ]);
    expect(rotations[2]!.events.map((event) => event.name)).toEqual([
      'tokenlane.refresh.reuse_detected',
      'tokenlane.refresh.family_revoked',
    ]);
    expect(rotations[0]!.events).toEqual([]);
  });

  it('counts rotations, reuse, logins and store latency as metrics', async () => {
    await reader.forceFlush();
    const points = new Map<string, Array<{ attributes: object; value: unknown }>>();
    for (const resource of metricExporter.getMetrics()) {
      for (const scope of resource.scopeMetrics) {
        for (const metric of scope.metrics) {
          points.set(metric.descriptor.name, metric.dataPoints);
        }
      }
    }
    const count = (name: string, attributes: object) =>
      points
        .get(name)
        ?.find((point) => JSON.stringify(point.attributes) === JSON.stringify(attributes))?.value;
    expect(count('tokenlane.refresh.rotations', { outcome: 'reused' })).toBe(1);
    expect(count('tokenlane.refresh.reuse_detections', {})).toBe(1);
    expect(count('tokenlane.refresh.rotations', { outcome: 'rotated' })).toBeGreaterThanOrEqual(4);
    expect(count('tokenlane.logins', { outcome: 'success' })).toBeGreaterThanOrEqual(3);
    expect(points.get('tokenlane.store.duration')?.length).toBeGreaterThan(3);
  });

  it('holds no token, email or IP in any span or metric attribute', async () => {
    await reader.forceFlush();
    expect(secrets.size).toBeGreaterThanOrEqual(6);
    const values: string[] = [];
    for (const span of spans.getFinishedSpans()) {
      values.push(span.name, ...Object.entries(span.attributes).flat().map(String));
      for (const event of span.events) {
        values.push(
          event.name,
          ...Object.entries(event.attributes ?? {})
            .flat()
            .map(String),
        );
      }
    }
    for (const resource of metricExporter.getMetrics()) {
      for (const scope of resource.scopeMetrics) {
        for (const metric of scope.metrics) {
          for (const point of metric.dataPoints) {
            values.push(...Object.entries(point.attributes).flat().map(String));
          }
        }
      }
    }
    // What was scanned is what the instrumentations record: the routes, the store operations.
    expect(values).toContain('/auth/refresh');
    expect(values).toContain('refresh.rotate');
    const leaks = values.filter(
      (value) =>
        [...secrets].some((secret) => value.includes(secret)) ||
        value.includes(DEMO.email) ||
        /\beyJ[\w-]{10,}/.test(value) ||
        /\b\d{1,3}(\.\d{1,3}){3}\b/.test(value) ||
        /(^|[^\w])::1?\b|::ffff:/.test(value),
    );
    expect(leaks).toEqual([]);
  });
});
