import { trace } from '@opentelemetry/api';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
  type ReadableSpan,
} from '@opentelemetry/sdk-trace-base';
import { describe, expect, it, vi } from 'vitest';
import { createMemoryChannelHub } from '../../session/memoryChannel.js';
import { createMemoryLock } from '../../session/lock.js';
import type { AuthUser } from '../../session/types.js';
import { fakeRuntime, settle, USER } from '@tokenlane/test-kit/fakes';
import { createFetchClient } from '../../fetch/createFetchClient.js';
import { otelTracing, type TracedRefresh } from '../otelTracing.js';

// Issue 25: OpenTelemetry on the client. A span per refresh (reason, attempts, queued requests,
// whether it waited for another tab, outcome), per cross-tab wait and per restore, with the
// refresh call carrying the span's `traceparent`; the spans are read back from sdk-trace-base's
// InMemorySpanExporter.

/** A token server behind `fetch`: what each refresh call carried, and answers the test scripts. */
function tokenServer() {
  let issued = 0;
  const refreshHeaders: Headers[] = [];
  const failNext: number[] = [];
  const fetch = vi.fn((input: RequestInfo | URL, init?: RequestInit) => {
    const path = new URL(input instanceof Request ? input.url : input).pathname;
    if (path.endsWith('/logout')) return Promise.resolve(new Response(null, { status: 204 }));
    if (path.endsWith('/refresh')) {
      refreshHeaders.push(new Headers(init?.headers));
      const status = failNext.shift();
      if (status) return Promise.resolve(Response.json({ error: 'no' }, { status }));
    }
    return Promise.resolve(
      Response.json({ accessToken: `t${++issued}`, expiresIn: 60, user: USER }),
    );
  });
  return { fetch, refreshHeaders, failNext };
}

function world() {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const clock = fakeRuntime();
  const server = tokenServer();
  const hub = createMemoryChannelHub<AuthUser>();
  const lock = createMemoryLock(clock.runtime);
  const tab = () => {
    const tracing = otelTracing({ tracer: provider.getTracer('test') });
    const refreshes: TracedRefresh[] = [];
    tracing.on('refresh', (refresh) => refreshes.push(refresh));
    const client = createFetchClient<AuthUser>({
      baseURL: 'https://api.test/',
      fetch: server.fetch,
      runtime: clock.runtime,
      crossTab: { lock, channel: hub.connect() },
      trace: tracing,
    });
    return { client, refreshes };
  };
  const spans = (name: string) => exporter.getFinishedSpans().filter((span) => span.name === name);
  return { clock, server, tab, spans, exporter };
}

const attributes = (span: ReadableSpan) => span.attributes;

describe('otelTracing', () => {
  it('records one span for a burst after expiry, with every waiting request counted, and sends its traceparent', async () => {
    const { clock, server, tab, spans } = world();
    const a = tab();
    await a.client.login({ email: USER.email, password: 'pw' });
    // Asleep past the token's end (no timer fired): the burst finds it expired.
    clock.sleep(61_000);
    const tokens = await Promise.all(Array.from({ length: 10 }, () => a.client.getAccessToken()));
    expect(new Set(tokens).size).toBe(1);
    const [refresh, ...others] = spans('tokenlane.refresh');
    expect(others).toEqual([]);
    expect(attributes(refresh!)).toEqual({
      'tokenlane.refresh.reason': 'expired',
      'tokenlane.refresh.attempts': 1,
      'tokenlane.refresh.queued': 10,
      'tokenlane.refresh.waited_for_tab': false,
      'tokenlane.refresh.outcome': 'renewed',
    });
    const { traceId, spanId } = refresh!.spanContext();
    expect(server.refreshHeaders.map((headers) => headers.get('traceparent'))).toEqual([
      `00-${traceId}-${spanId}-01`,
    ]);
    // The lock's span is the refresh's child.
    const [lock] = spans('tokenlane.refresh.lock');
    expect(lock!.parentSpanContext?.spanId).toBe(spanId);
    expect(attributes(lock!)).toEqual({
      'tokenlane.lock.waited': false,
      'tokenlane.lock.held': true,
    });
    expect(a.refreshes).toEqual([
      {
        traceId,
        spanId,
        reason: 'expired',
        outcome: 'renewed',
        attempts: 1,
        queued: 10,
        waitedForTab: false,
      },
    ]);
  });

  it('counts the attempts of a refresh retried after a 503, each with the same traceparent', async () => {
    const { clock, server, tab, spans } = world();
    const a = tab();
    await a.client.login({ email: USER.email, password: 'pw' });
    server.failNext.push(503);
    const renewed = a.client.refresh();
    await clock.advance(1_000);
    await renewed;
    const [refresh] = spans('tokenlane.refresh');
    expect(refresh!.attributes['tokenlane.refresh.attempts']).toBe(2);
    const parents = server.refreshHeaders.map((headers) => headers.get('traceparent'));
    expect(new Set(parents).size).toBe(1);
    expect(parents[0]).toContain(refresh!.spanContext().spanId);
  });

  it("marks a tab that waited for another tab's refresh, and took its token, as reused", async () => {
    const { tab, spans } = world();
    const a = tab();
    const b = tab();
    await a.client.login({ email: USER.email, password: 'pw' });
    await settle();
    await Promise.all([a.client.refresh({ force: true }), b.client.refresh()]);
    const outcomes = spans('tokenlane.refresh').map((span) => [
      span.attributes['tokenlane.refresh.waited_for_tab'],
      span.attributes['tokenlane.refresh.outcome'],
    ]);
    expect(outcomes).toEqual([
      [false, 'renewed'],
      [true, 'reused'],
    ]);
    expect(b.refreshes[0]).toMatchObject({ waitedForTab: true, outcome: 'reused', attempts: 0 });
  });

  it('ends a refused refresh as expired, with an error status', async () => {
    const { server, tab, spans } = world();
    const a = tab();
    await a.client.login({ email: USER.email, password: 'pw' });
    server.failNext.push(401);
    await expect(a.client.refresh()).rejects.toThrow();
    const [refresh] = spans('tokenlane.refresh');
    expect(refresh!.attributes['tokenlane.refresh.outcome']).toBe('expired');
    expect(refresh!.status).toEqual({ code: 2, message: 'expired' });
  });

  it('records a restore as the parent of its refresh', async () => {
    const { tab, spans } = world();
    const a = tab();
    await a.client.restore();
    const [restore] = spans('tokenlane.restore');
    const [refresh] = spans('tokenlane.refresh');
    expect(restore!.attributes).toEqual({ 'tokenlane.restore.status': 'authenticated' });
    expect(refresh!.parentSpanContext?.spanId).toBe(restore!.spanContext().spanId);
    expect(refresh!.spanContext().traceId).toBe(restore!.spanContext().traceId);
  });

  it('sends no traceparent when no SDK records the spans (the API alone)', async () => {
    const { server } = world();
    const client = createFetchClient({
      baseURL: 'https://api.test/',
      fetch: server.fetch,
      crossTab: false,
      trace: otelTracing({ tracer: trace.getTracer('no sdk') }),
    });
    await client.refresh();
    expect(server.refreshHeaders[0]?.has('traceparent')).toBe(false);
  });
});
