import { register } from 'node:module';
import { ExpressInstrumentation } from '@opentelemetry/instrumentation-express';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { NodeSDK, type NodeSDKConfiguration } from '@opentelemetry/sdk-node';

/**
 * What the HTTP instrumentation would record of a request that says who or where the caller is:
 * left out (an attribute set to `undefined` is not recorded), so no span or metric holds an IP
 * or a user agent.
 */
const WITHOUT_ADDRESSES = {
  'client.address': undefined,
  'client.port': undefined,
  'network.peer.address': undefined,
  'network.peer.port': undefined,
  'server.address': undefined,
  'user_agent.original': undefined,
};

/**
 * Starts OpenTelemetry's Node SDK for the API: the HTTP and Express instrumentations (without
 * addresses), the W3C Trace Context propagator and an AsyncLocalStorage context, and the
 * exporters the standard `OTEL_*` variables name (`OTEL_TRACES_EXPORTER`, `OTEL_EXPORTER_OTLP_ENDPOINT`,
 * ...) unless `config` gives its own (tests: an in-memory exporter). Returns the SDK, to shut down.
 */
export function startOtel(config: Partial<NodeSDKConfiguration> = {}): NodeSDK {
  // ES modules (express is imported by one) are instrumented through this loader hook.
  register('@opentelemetry/instrumentation/hook.mjs', import.meta.url);
  const sdk = new NodeSDK({
    serviceName: 'tokenlane-api',
    instrumentations: [
      new HttpInstrumentation({
        startIncomingSpanHook: () => WITHOUT_ADDRESSES,
        startOutgoingSpanHook: () => WITHOUT_ADDRESSES,
      }),
      new ExpressInstrumentation(),
    ],
    ...config,
  });
  sdk.start();
  return sdk;
}
