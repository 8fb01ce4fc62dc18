export {
  otelTracing,
  type OtelTracing,
  type OtelTracingOptions,
  type RefreshOutcome,
  type TracedRefresh,
} from './otel/otelTracing.js';
