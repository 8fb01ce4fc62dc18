import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import type { TokenService } from '../services/tokens.js';
import type { LiveHub } from './liveHub.js';
import { checkLiveToken, expiryTimer } from './liveToken.js';

/** Where the live endpoint listens. */
export const LIVE_PATH = '/api/live';
/** Close codes of the live endpoint (4000–4999 are the application's, RFC 6455 §7.4.2). */
export const LIVE_CLOSE = {
  /** No token in time, a token refused, or the token expired: authenticate again. */
  unauthorized: 4401,
  /** A token of another user than the connection's: open a new connection for that user. */
  otherUser: 4403,
  /** A message the endpoint does not understand. */
  badMessage: 4400,
} as const;
/** How long a new connection has to send its first `auth` message, ms. */
export const LIVE_AUTH_WAIT_MS = 10_000;

export interface LiveSocketOptions {
  tokens: TokenService;
  hub: LiveHub;
  logger: Logger;
  /** Epoch ms: the app's clock. */
  now: () => number;
}

const parse = (data: RawData): { type?: unknown; token?: unknown } | undefined => {
  const text = Array.isArray(data)
    ? Buffer.concat(data)
    : Buffer.isBuffer(data)
      ? data
      : Buffer.from(data);
  try {
    const message: unknown = JSON.parse(text.toString('utf8'));
    return typeof message === 'object' && message !== null ? message : undefined;
  } catch {
    return undefined;
  }
};

/**
 * The live endpoint (`/api/live`, WebSocket): the signed-in user's todo changes as they happen.
 * The access token travels in band, never in the URL (where logs keep it): the first message is
 * `{"type":"auth","token":…}`, and a new token is sent the same way before the last one expires,
 * with no reconnect. The endpoint answers `{"type":"authed","exp":…}` (and `{"type":"ping"}` with
 * `{"type":"pong"}`, once authenticated) and closes with 4401 when
 * no token came in time, one is refused, or the last one expires; with 4403 when a token names
 * another user (a connection belongs to one user). Bearer tokens only: a DPoP-bound token has no
 * proof here and is refused. The token is the only credential (no cookie): another site's page
 * can open a socket but has nothing to authenticate it with.
 */
export function attachLiveSockets(server: Server, options: LiveSocketOptions): () => void {
  const sockets = new WebSocketServer({ noServer: true, maxPayload: 8 * 1024 });
  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (new URL(req.url ?? '/', 'http://x').pathname !== LIVE_PATH) return;
    sockets.handleUpgrade(req, socket, head, (ws) => serve(ws, options));
  };
  server.on('upgrade', onUpgrade);
  return () => {
    server.off('upgrade', onUpgrade);
    for (const ws of sockets.clients) ws.terminate();
    sockets.close();
  };
}

function serve(ws: WebSocket, { tokens, hub, logger, now }: LiveSocketOptions) {
  let userId: string | undefined;
  let unsubscribe = () => {};
  const expiry = expiryTimer(now, () => ws.close(LIVE_CLOSE.unauthorized, 'token expired'));
  const authWait = setTimeout(
    () => ws.close(LIVE_CLOSE.unauthorized, 'auth required'),
    LIVE_AUTH_WAIT_MS,
  );
  const close = (code: number, reason: string) => {
    clearTimeout(authWait);
    expiry.clear();
    ws.close(code, reason);
  };
  ws.on('message', (data) => {
    const message = parse(data);
    // The app's liveness check: answered only once authenticated (a new token comes first).
    if (message?.type === 'ping' && userId !== undefined) {
      return ws.send(JSON.stringify({ type: 'pong' }));
    }
    if (message?.type !== 'auth' || typeof message.token !== 'string') {
      return close(LIVE_CLOSE.badMessage, 'expected {"type":"auth","token":…}');
    }
    const claims = checkLiveToken(tokens, message.token, now(), logger);
    if (claims === 'error') return close(1011, 'server error');
    if (claims === 'refused') return close(LIVE_CLOSE.unauthorized, 'token refused');
    if (userId !== undefined && claims.sub !== userId)
      return close(LIVE_CLOSE.otherUser, 'another user');
    clearTimeout(authWait);
    expiry.at(claims.exp);
    if (userId === undefined) {
      userId = claims.sub;
      unsubscribe = hub.subscribe(userId, (change) => ws.send(JSON.stringify(change)));
    }
    ws.send(JSON.stringify({ type: 'authed', exp: claims.exp }));
  });
  ws.on('close', () => {
    clearTimeout(authWait);
    expiry.clear();
    unsubscribe();
  });
  ws.on('error', (error) => logger.debug({ err: error }, 'live socket error'));
}
