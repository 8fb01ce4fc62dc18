import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import { otelTracing } from '@tokenlane/react-auth/otel';

/**
 * The demo's traces. The spans stay in the page (the demo has no collector to export to), but
 * they have real ids: each refresh's trace id shows in the devtools panel, and the API, run with
 * OTEL=on, records its spans for that refresh in the same trace (the call carries `traceparent`).
 */
const provider = new BasicTracerProvider();
export const tracing = otelTracing({ tracer: provider.getTracer('tokenlane-demo') });
