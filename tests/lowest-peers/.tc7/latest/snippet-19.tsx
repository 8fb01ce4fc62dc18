import { createAuthClient } from '@tokenlane/react-auth';
import { otelTracing } from '@tokenlane/react-auth/otel';

export const tracing = otelTracing();
export const auth = createAuthClient({ baseURL: 'https://api.example.com', trace: tracing });
tracing.on('refresh', ({ traceId, outcome }) => {
  if (outcome === 'expired') console.warn(`session ended by the server: trace ${traceId}`);
});
