import type { Server } from 'node:http';
import { Server as SocketIoServer } from 'socket.io';
import type { LiveSocketOptions } from './liveSockets.js';
import { checkLiveToken, expiryTimer } from './liveToken.js';

/** Where the Socket.IO endpoint listens. */
export const SOCKET_IO_PATH = '/api/socket.io';

/** What a Socket.IO client is told before the server disconnects it. */
export type SocketIoRefusal = 'expired' | 'refused' | 'other-user';

/**
 * The live todo changes over Socket.IO (`/api/socket.io`): the token is the handshake's
 * `auth.token` (the client's `auth` callback, asked again at each connection); a new one comes in
 * band as `emit('auth', token)`. Each accepted token gets `authed` with its `exp`. A refused token, another user's, or
 * the last one expiring gets `unauthorized` with a `SocketIoRefusal`, then a server disconnect
 * (Socket.IO clients do not reconnect by themselves after one: the client decides).
 */
export function attachSocketIoLive(server: Server, options: LiveSocketOptions): () => void {
  const { tokens, hub, logger, now } = options;
  const io = new SocketIoServer(server, {
    path: SOCKET_IO_PATH,
    serveClient: false,
    // Other upgrades on this server (the live and GraphQL sockets) are not Socket.IO's to end.
    destroyUpgrade: false,
    maxHttpBufferSize: 16 * 1024,
  });
  io.use((socket, next) => {
    const claims = checkLiveToken(tokens, socket.handshake.auth.token, now(), logger);
    if (typeof claims === 'string')
      return next(new Error(claims === 'refused' ? 'unauthorized' : 'server error'));
    socket.data = claims;
    next();
  });
  io.on('connection', (socket) => {
    const { sub } = socket.data as { sub: string; exp: number };
    const refuse = (why: SocketIoRefusal) => {
      socket.emit('unauthorized', why);
      socket.disconnect(true);
    };
    const expiry = expiryTimer(now, () => refuse('expired'));
    expiry.at((socket.data as { exp: number }).exp);
    const unsubscribe = hub.subscribe(sub, (change) => socket.emit('todo', change));
    socket.emit('authed', { exp: (socket.data as { exp: number }).exp });
    socket.on('auth', (token: unknown) => {
      const claims = checkLiveToken(tokens, token, now(), logger);
      if (typeof claims === 'string') return refuse('refused');
      if (claims.sub !== sub) return refuse('other-user');
      expiry.at(claims.exp);
      socket.emit('authed', { exp: claims.exp });
    });
    socket.on('disconnect', () => {
      expiry.clear();
      unsubscribe();
    });
  });
  return () => {
    io.disconnectSockets(true);
    io.engine.close();
  };
}
