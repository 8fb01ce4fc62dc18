import { context, propagation, SpanStatusCode, trace, type Attributes } from '@opentelemetry/api';
import type { RequestHandler } from 'express';

/** The auth calls that get a span of their own, by path (POST). */
const AUTH_SPANS: Record<string, string> = {
  '/auth/login': 'tokenlane.login',
  '/auth/refresh': 'tokenlane.rotation',
  '/auth/logout': 'tokenlane.logout',
};

/**
 * Runs each request in its trace: the span an HTTP instrumentation started, else the caller's
 * (`traceparent`, W3C Trace Context), so a client's refresh span is the parent of what the server
 * does for it. Logins, refreshes and logouts get a span of their own (`AUTH_SPANS`), with the
 * route and the status only. Placed after the body parsers: their stream callbacks would lose the
 * context.
 */
export function traceRequests(): RequestHandler {
  const tracer = trace.getTracer('@tokenlane/api');
  return (req, res, next) => {
    const parent = trace.getActiveSpan()
      ? context.active()
      : propagation.extract(context.active(), req.headers);
    const route = req.originalUrl.split('?')[0] ?? '';
    const name = req.method === 'POST' ? AUTH_SPANS[route] : undefined;
    if (name === undefined) return context.with(parent, next);
    const attributes: Attributes = { 'http.request.method': 'POST', 'http.route': route };
    const span = tracer.startSpan(name, { attributes }, parent);
    res.on('finish', () => {
      span.setAttribute('http.response.status_code', res.statusCode);
      if (res.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    });
    context.with(trace.setSpan(parent, span), next);
  };
}
