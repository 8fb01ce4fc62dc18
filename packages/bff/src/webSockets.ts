import { request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Duplex } from 'node:stream';
import { readCookie, SESSION_COOKIE } from './cookies.js';
import type { Bff } from './createBff.js';
import { filteredHeaders } from './proxy.js';

const refuse = (socket: Duplex, status: number, reason: string) => {
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
};

/**
 * Passes WebSocket upgrades on proxied paths through to the upstream with the access token added
 * (refreshed first if it is about to expire). A browser cannot add a header to a WebSocket, so the
 * CSRF rule here is the `Origin` check (and the `SameSite=Strict` cookie); a path off the
 * allow-list, another origin or no session is refused before any upstream connection.
 */
export function proxyWebSockets(server: Server, bff: Bff): void {
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    void upgrade(bff, req, socket, head).catch(() => refuse(socket, 502, 'Bad Gateway'));
  });
}

async function upgrade(bff: Bff, req: IncomingMessage, socket: Duplex, head: Buffer) {
  const { context } = bff;
  const url = new URL(req.url ?? '/', context.origin);
  const target = bff.target(url);
  if (!target) return refuse(socket, 404, 'Not Found');
  if (req.headers.origin !== context.origin) return refuse(socket, 403, 'Forbidden');
  const cookies = new Headers({ cookie: req.headers.cookie ?? '' });
  const opened = await context.sessions.open(readCookie(cookies, SESSION_COOKIE));
  if (!opened) return refuse(socket, 401, 'Unauthorized');
  const session = await context.refresher.fresh(opened);
  await context.sessions.touch(session);
  const headers = filteredHeaders(new Headers(req.headers as Record<string, string>));
  headers.delete('origin');
  const credentials = await context.upstream.authorization(session.tokens, 'GET', target);
  const outgoing: Record<string, string> = {
    ...Object.fromEntries(headers),
    ...credentials,
    connection: 'Upgrade',
    upgrade: req.headers.upgrade ?? 'websocket',
  };
  const send =
    target.protocol === 'https:' || target.protocol === 'wss:' ? httpsRequest : httpRequest;
  const upstream = send(target, {
    method: 'GET',
    headers: outgoing,
    timeout: context.upstreamTimeoutMs,
  });
  upstream.on('upgrade', (answer, upstreamSocket, upstreamHead) => {
    const lines = [`HTTP/1.1 101 Switching Protocols`];
    for (const [name, value] of Object.entries(answer.headers)) {
      if (name === 'set-cookie' || value === undefined) continue;
      lines.push(`${name}: ${Array.isArray(value) ? value.join(', ') : value}`);
    }
    socket.write(`${lines.join('\r\n')}\r\n\r\n`);
    if (upstreamHead.length > 0) socket.write(upstreamHead);
    if (head.length > 0) upstreamSocket.write(head);
    upstreamSocket.pipe(socket).pipe(upstreamSocket);
    upstreamSocket.on('error', () => socket.destroy());
    socket.on('error', () => upstreamSocket.destroy());
  });
  upstream.on('response', (answer) => {
    answer.resume();
    refuse(socket, answer.statusCode ?? 502, 'Refused');
  });
  upstream.on('timeout', () => upstream.destroy(new Error('timeout')));
  upstream.on('error', () => refuse(socket, 502, 'Bad Gateway'));
  upstream.end();
}
