import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import type { Bff } from './createBff.js';

/** A Node request as a Web `Request` (the body streamed, aborted when the client goes away). */
export function toWebRequest(bff: Bff, req: IncomingMessage, res: ServerResponse): Request {
  const controller = new AbortController();
  res.on('close', () => {
    if (!res.writableFinished) controller.abort(new Error('client closed'));
  });
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (Array.isArray(value)) value.forEach((one) => headers.append(name, one));
    else if (value !== undefined) headers.set(name, value);
  }
  const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
  return new Request(new URL(req.url ?? '/', bff.context.origin), {
    method: req.method ?? 'GET',
    headers,
    signal: controller.signal,
    ...(hasBody && { body: Readable.toWeb(req), duplex: 'half' }),
  } as RequestInit);
}

/** Writes a Web `Response` to a Node response, streaming its body chunk by chunk (SSE included). */
export async function writeWebResponse(response: Response, res: ServerResponse): Promise<void> {
  const headers: Record<string, string | string[]> = {};
  response.headers.forEach((value, name) => {
    if (name !== 'set-cookie') headers[name] = value;
  });
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) headers['set-cookie'] = cookies;
  res.writeHead(response.status, headers);
  // Headers out at once: an event stream's first event may be a while away.
  res.flushHeaders();
  if (!response.body) {
    res.end();
    return;
  }
  await pipeline(Readable.fromWeb(response.body as WebReadableStream), res).catch(() =>
    res.destroy(),
  );
}

/**
 * The BFF as a Node `http` handler (and Express middleware: mount it before any body parser).
 * Paths that are neither the BFF's nor proxied go to `next`, or get a 404.
 */
export function toNodeHandler(bff: Bff) {
  return (req: IncomingMessage, res: ServerResponse, next?: (error?: unknown) => void): void => {
    const request = toWebRequest(bff, req, res);
    bff
      .handle(request, { clientAddress: req.socket.remoteAddress })
      .then(async (response) => {
        if (response) return writeWebResponse(response, res);
        if (next) return next();
        res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not_found"}');
      })
      .catch((error: unknown) => (next ? next(error) : res.destroy()));
  };
}
