/** One allowed upstream: calls under `path` go to `target`, with the path below it kept. */
export interface ProxyRoute {
  /** The BFF's path prefix, `/api` for example. */
  path: string;
  /** The absolute upstream URL it maps to (its origin and path prefix are the allow-list entry). */
  target: string;
}

/** Hop-by-hop headers (RFC 9110 §7.6.1) and what must never cross the BFF in either direction. */
const STRIPPED = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'host',
  'cookie',
  'set-cookie',
  'authorization',
  'dpop',
  'content-length',
]);

/** Copies headers without the hop-by-hop ones, those `Connection` names, cookies and credentials. */
export function filteredHeaders(from: Headers): Headers {
  const named = (from.get('connection') ?? '').split(',').map((name) => name.trim().toLowerCase());
  const headers = new Headers();
  from.forEach((value, name) => {
    if (!STRIPPED.has(name) && !named.includes(name)) headers.set(name, value);
  });
  return headers;
}

/**
 * The upstream URL of a request, if one route allows it: the request's path must be under the
 * route's path, and the result (after the URL parser resolves dot segments) under the target's
 * origin and path. `'refused'` when a route's path matches but the result is not allowed (404,
 * with no upstream request); `undefined` when no route's path matches (not the BFF's to answer).
 */
export function proxyTarget(routes: readonly ProxyRoute[], url: URL): URL | 'refused' | undefined {
  for (const route of routes) {
    const prefix = route.path.replace(/\/+$/, '');
    if (url.pathname !== prefix && !url.pathname.startsWith(`${prefix}/`)) continue;
    // Encoded dots and slashes would be decoded by the upstream: refuse them.
    if (/%2e|%2f|%5c|\\/i.test(url.pathname)) return 'refused';
    const base = new URL(route.target);
    const basePath = base.pathname.replace(/\/+$/, '');
    const target = new URL(base.origin);
    target.pathname = basePath + url.pathname.slice(prefix.length);
    target.search = url.search;
    const inside =
      target.origin === base.origin &&
      (target.pathname === basePath ||
        target.pathname.startsWith(`${basePath}/`) ||
        basePath === '');
    return inside ? target : 'refused';
  }
  return undefined;
}

/** Options of one forwarded call. */
export interface ForwardOptions {
  /** The access token's headers (`Authorization`, `DPoP`). */
  credentials: Record<string, string>;
  /** Milliseconds until the upstream's answer headers must have come. */
  timeoutMs: number;
  /** The body, when the call is sent again (a buffered copy); else the request's stream. */
  body?: ArrayBuffer | null;
}

/**
 * Sends the call upstream and passes the answer back as a stream (downloads and Server-Sent
 * Events go through chunk by chunk). The timeout covers the wait for the answer's headers, not a
 * long stream; the browser going away aborts the upstream call.
 */
export async function forward(
  request: Request,
  target: URL,
  options: ForwardOptions,
): Promise<Response> {
  const headers = filteredHeaders(request.headers);
  for (const [name, value] of Object.entries(options.credentials)) headers.set(name, value);
  const controller = new AbortController();
  const abort = () => controller.abort(request.signal.reason);
  request.signal.addEventListener('abort', abort, { once: true });
  const timer = setTimeout(
    () => controller.abort(new Error('upstream timeout')),
    options.timeoutMs,
  );
  const hasBody = request.method !== 'GET' && request.method !== 'HEAD';
  const init: RequestInit & { duplex?: 'half' } = {
    method: request.method,
    headers,
    redirect: 'manual',
    signal: controller.signal,
    body: hasBody ? (options.body !== undefined ? options.body : request.body) : null,
  };
  if (init.body instanceof ReadableStream) init.duplex = 'half';
  try {
    const answer = await fetch(target, init);
    const back = filteredHeaders(answer.headers);
    // fetch has decoded the body: the length and encoding no longer describe it.
    back.delete('content-encoding');
    return new Response(answer.body, {
      status: answer.status,
      statusText: answer.statusText,
      headers: back,
    });
  } finally {
    clearTimeout(timer);
  }
}
