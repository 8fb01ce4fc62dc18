import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer } from 'ws';
import { readCookie, SESSION_COOKIE } from './cookies.js';
import type { Bff } from './createBff.js';
import { filteredHeaders } from './proxy.js';
import { relay, type RelayOptions } from './webSocketRelay.js';

/** Options of `proxyWebSockets`. */
export interface WebSocketProxyOptions {
  /**
   * The in-band message that gives an open upstream connection a new access token, which the BFF
   * sends itself after each refresh (no reconnect, nothing asked of the page); `null` sends none,
   * and the upstream's close at the token's expiry makes the page connect again through the BFF.
   * @default Tokenlane's live endpoint: `{"type":"auth","token":…}`
   */
  inBandAuth?: ((token: string, url: URL) => string) | null;
}

const refuse = (socket: Duplex, status: number, reason: string) => {
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
};

const tokenlaneAuth = (token: string) => JSON.stringify({ type: 'auth', token });

/**
 * Relays WebSockets on proxied paths to the upstream, with the access token added server-side: in
 * the upgrade's `Authorization` header, in place of the session mark (`"bff-session"`, the
 * page's token in BFF mode) wherever a message from the page carries it as `token` or
 * `payload.token`, and in band (`inBandAuth`) after each refresh, so a connection outlives its
 * tokens. A browser cannot add a header to a WebSocket, so the CSRF rule here is the `Origin`
 * check (and the `SameSite=Strict` cookie); a path off the allow-list, another origin or no
 * session is refused before any upstream connection. When the session ends, the page's socket
 * closes with 4401 within `RELAY_CHECK_MS`.
 */
export function proxyWebSockets(
  server: Server,
  bff: Bff,
  options: WebSocketProxyOptions = {},
): void {
  const chosen = new WeakMap<IncomingMessage, string>();
  const pages = new WebSocketServer({
    noServer: true,
    // The page gets the subprotocol the upstream chose (graphql-ws's, for one).
    handleProtocols: (_offered, req) => chosen.get(req) ?? false,
  });
  const inBandAuth = options.inBandAuth === undefined ? tokenlaneAuth : options.inBandAuth;
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    void upgrade(
      bff,
      req,
      socket,
      (upstream, relayOptions) => {
        if (upstream.protocol) chosen.set(req, upstream.protocol);
        pages.handleUpgrade(req, socket, head, (page) => relay(page, upstream, relayOptions));
      },
      inBandAuth,
    ).catch(() => refuse(socket, 502, 'Bad Gateway'));
  });
}

async function upgrade(
  bff: Bff,
  req: IncomingMessage,
  socket: Duplex,
  opened: (upstream: WebSocket, options: RelayOptions) => void,
  inBandAuth: WebSocketProxyOptions['inBandAuth'],
) {
  const { context } = bff;
  const url = new URL(req.url ?? '/', context.origin);
  const target = bff.target(url);
  if (!target) return refuse(socket, 404, 'Not Found');
  if (req.headers.origin !== context.origin) return refuse(socket, 403, 'Forbidden');
  const cookie = readCookie(new Headers({ cookie: req.headers.cookie ?? '' }), SESSION_COOKIE);
  const found = await context.sessions.open(cookie);
  if (!found) return refuse(socket, 401, 'Unauthorized');
  const session = await context.refresher.fresh(found);
  await context.sessions.touch(session);
  const headers = filteredHeaders(new Headers(req.headers as Record<string, string>));
  for (const name of [...headers.keys()]) {
    if (name === 'origin' || name.startsWith('sec-websocket-')) headers.delete(name);
  }
  const credentials = await context.upstream.authorization(session.tokens, 'GET', target);
  const protocols = (req.headers['sec-websocket-protocol'] ?? '').split(',').map((p) => p.trim());
  target.protocol = target.protocol === 'https:' ? 'wss:' : 'ws:';
  const upstream = new WebSocket(target, protocols.filter(Boolean), {
    headers: { ...Object.fromEntries(headers), ...credentials },
    handshakeTimeout: context.upstreamTimeoutMs,
  });
  upstream.on('unexpected-response', (_request, answer) => {
    answer.resume();
    refuse(socket, answer.statusCode ?? 502, 'Refused');
  });
  upstream.once(
    'error',
    () => upstream.readyState !== WebSocket.OPEN && refuse(socket, 502, 'Bad Gateway'),
  );
  upstream.once('open', () =>
    opened(upstream, {
      context,
      cookie,
      sent: session.tokens.accessToken,
      inBandAuth: inBandAuth ? (token) => inBandAuth(token, target) : null,
    }),
  );
}
