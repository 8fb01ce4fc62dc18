import { tracing } from '@opentelemetry/sdk-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config.js';
import { startOtel } from '../otel.js';
import { DEMO, login, makeTestApp, refresh } from './helpers.js';

// Issue 25: the API's OpenTelemetry. Off by default; with OTEL=on a refresh runs in its caller's
// trace (W3C traceparent), as a `tokenlane.rotation` span whose store calls are its children.

const exporter = new tracing.InMemorySpanExporter();
let sdk: ReturnType<typeof startOtel>;
beforeAll(() => {
  sdk = startOtel({ spanProcessors: [new tracing.SimpleSpanProcessor(exporter)] });
});
afterAll(() => sdk.shutdown());

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const PARENT_ID = '00f067aa0ba902b7';

describe('OTEL', () => {
  it('is off by default, and takes only on or off', async () => {
    expect(loadConfig({ DATABASE_PATH: ':memory:' }).otel).toBe(false);
    expect(() => loadConfig({ DATABASE_PATH: ':memory:', OTEL: 'yes' })).toThrow(/OTEL/);
    const { app } = await makeTestApp();
    exporter.reset();
    await login(app, DEMO);
    expect(exporter.getFinishedSpans().filter((span) => span.name.startsWith('tokenlane'))).toEqual(
      [],
    );
  });

  it("runs a refresh in its caller's trace: the rotation below the traceparent, its store calls below it", async () => {
    const { app } = await makeTestApp({ otel: true });
    const { refreshToken } = await login(app, DEMO);
    exporter.reset();
    const res = await refresh(app, refreshToken).set(
      'traceparent',
      `00-${TRACE_ID}-${PARENT_ID}-01`,
    );
    expect(res.status).toBe(200);
    const [rotation] = exporter
      .getFinishedSpans()
      .filter((span) => span.name === 'tokenlane.rotation');
    expect(rotation!.spanContext().traceId).toBe(TRACE_ID);
    // Its parent is the caller's span (or, with the HTTP instrumentation on, the server span
    // that is the caller's child).
    const spans = new Map(
      exporter.getFinishedSpans().map((span) => [span.spanContext().spanId, span]),
    );
    let parent = rotation!.parentSpanContext?.spanId;
    while (parent !== undefined && spans.has(parent))
      parent = spans.get(parent)!.parentSpanContext?.spanId;
    expect(parent).toBe(PARENT_ID);
    expect(rotation!.attributes).toEqual({
      'http.request.method': 'POST',
      'http.route': '/auth/refresh',
      'http.response.status_code': 200,
      'tokenlane.rotation.outcome': 'rotated',
    });
    const stores = exporter.getFinishedSpans().filter((span) => span.name === 'tokenlane.store');
    expect(stores.map((span) => span.attributes['tokenlane.store.operation'])).toContain(
      'refresh.rotate',
    );
    for (const span of stores) {
      expect(span.parentSpanContext?.spanId).toBe(rotation!.spanContext().spanId);
    }
  });
});
