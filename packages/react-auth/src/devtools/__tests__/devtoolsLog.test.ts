import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { describe, expect, it } from 'vitest';
import { otelTracing } from '@tokenlane/core/otel';
import { createFetchClient } from '@tokenlane/core';
import { createTestServer } from '../../testing/createTestServer.js';
import { expireAccessToken } from '@tokenlane/core/testing';
import { createDevtoolsLog, DEVTOOLS_HISTORY, type NetworkObserver } from '../devtoolsLog.js';

const user = { id: '1', email: 'ada@example.com' };

/** A signed-in fetch client on an in-memory server, and a clock the test moves. */
async function setUp(network: NetworkObserver | null = null) {
  const server = createTestServer({ user, handler: () => Response.json({ ok: true }) });
  const client = createFetchClient(server.clientOptions);
  await client.restore();
  const clock = { now: 1_000 };
  const log = createDevtoolsLog(client, { now: () => clock.now, observeNetwork: network });
  return { server, client, clock, log };
}

/** A network observer the test feeds by hand. */
function fakeNetwork() {
  let emit: ((url: string, status: number) => void) | undefined;
  const observer: NetworkObserver = (onRequest) => {
    emit = onRequest;
    return () => (emit = undefined);
  };
  return { observer, request: (url: string, status: number) => emit?.(url, status) };
}

describe('the devtools log', () => {
  it('records each refresh with its reason, duration and outcome, newest first', async () => {
    const { server, client, clock, log } = await setUp();
    expireAccessToken(client);
    const renewing = client.fetch('http://test.invalid/api/todos');
    expect(log.getSnapshot().refreshes).toMatchObject([{ reason: 'expired', outcome: 'running' }]);
    clock.now += 42;
    await renewing;
    server.refuseNextRefresh();
    await client.refresh({ force: true }).catch(() => undefined);
    expect(log.getSnapshot().refreshes).toMatchObject([
      { reason: 'manual', outcome: 'failed', error: 'session_expired', durationMs: 0 },
      { reason: 'expired', outcome: 'ok', startedAt: 1_000, durationMs: 42 },
    ]);
  });

  it("shows each refresh's trace id with tracing on: the id of its span", async () => {
    const exporter = new InMemorySpanExporter();
    const provider = new BasicTracerProvider({
      spanProcessors: [new SimpleSpanProcessor(exporter)],
    });
    const trace = otelTracing({ tracer: provider.getTracer('devtools test') });
    const server = createTestServer({ user, handler: () => Response.json({ ok: true }) });
    const client = createFetchClient({ ...server.clientOptions, trace });
    const log = createDevtoolsLog(client, { observeNetwork: null, trace });
    await client.restore();
    await client.refresh({ force: true });
    const traceIds = exporter
      .getFinishedSpans()
      .filter((span) => span.name === 'tokenlane.refresh')
      .map((span) => span.spanContext().traceId)
      .reverse();
    expect(traceIds).toHaveLength(2);
    expect(log.getSnapshot().refreshes.map((record) => record.traceId)).toEqual(traceIds);
  });

  it('records what other tabs said, without their tokens', async () => {
    const { server, log } = await setUp();
    server.signOutElsewhere();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(log.getSnapshot().crossTab).toEqual([{ id: 1, at: 1_000, type: 'logout' }]);
  });

  it('counts requests by path and status, the latest path first, a bounded number of paths', async () => {
    const network = fakeNetwork();
    const { log } = await setUp(network.observer);
    network.request('http://test.invalid/api/todos?page=1', 401);
    network.request('http://test.invalid/api/todos', 200);
    network.request('http://test.invalid/auth/refresh', 200);
    network.request('http://test.invalid/api/todos?page=2', 200);
    expect(log.getSnapshot().network).toEqual([
      {
        path: '/api/todos',
        statuses: [
          [200, 2],
          [401, 1],
        ],
      },
      { path: '/auth/refresh', statuses: [[200, 1]] },
    ]);
    for (let i = 0; i <= DEVTOOLS_HISTORY; i++) network.request(`/api/item/${i}`, 200);
    const paths = log.getSnapshot().network?.map((row) => row.path);
    expect(paths).toHaveLength(DEVTOOLS_HISTORY);
    expect(paths?.[0]).toBe(`/api/item/${DEVTOOLS_HISTORY}`);
    expect(paths).not.toContain('/api/todos');
  });

  it('says when the browser cannot show requests', async () => {
    const { log } = await setUp(null);
    expect(log.getSnapshot().network).toBeNull();
  });

  it('clears what it recorded (a running refresh stays, to be finished), and notifies', async () => {
    const network = fakeNetwork();
    const { server, client, log } = await setUp(network.observer);
    let notified = 0;
    log.subscribe(() => notified++);
    await client.refresh({ force: true });
    server.signOutElsewhere();
    await new Promise((resolve) => setTimeout(resolve, 0));
    network.request('/api/todos', 200);
    notified = 0;
    log.clear();
    expect(notified).toBe(1);
    expect(log.getSnapshot()).toEqual({ refreshes: [], crossTab: [], network: [] });
  });

  it('keeps one snapshot between changes (for useSyncExternalStore), and stops when disposed', async () => {
    const network = fakeNetwork();
    const { client, log } = await setUp(network.observer);
    const first = log.getSnapshot();
    expect(log.getSnapshot()).toBe(first);
    log.dispose();
    await client.refresh({ force: true });
    network.request('/api/todos', 200);
    expect(log.getSnapshot()).toBe(first);
  });
});
