import { io, type Socket } from 'socket.io-client';
import type { LiveCloseReason, LiveConnections } from '@tokenlane/react-auth/live';

/**
 * A Socket.IO client on the session (`plugins: [liveUpdates]`). The token is asked for at each
 * connection (`auth` as a callback); a new one goes in band (`emit('auth', token)`), so a rotation
 * needs no reconnect. After the server's `unauthorized` (a refused or expired token) it connects
 * again, spread out, with a fresh token from the one shared refresh; 3 refusals in a row end it.
 */
export function socketIoLive(
  liveUpdates: LiveConnections,
  url: string,
  options: { path?: string; onClose?: (reason: LiveCloseReason) => void } = {},
): Socket {
  const session = liveUpdates.session();
  let sent: string | null = null;
  let refused = false;
  let refusals = 0;
  const socket = io(url, {
    path: options.path ?? '/api/socket.io',
    transports: ['websocket'],
    auth: (give) => {
      const token = refused && sent ? session.renewAfterRefusal(sent) : session.token();
      token.then(
        (fresh) => give({ token: (sent = fresh) }),
        () => give({}),
      );
    },
  });
  const renew = (token: string | null) => {
    if (!socket.connected || token === null || token === sent) return;
    sent = token;
    socket.emit('auth', token);
  };
  // Socket.IO reconnects after a network loss by itself, not after the server refused or ended it.
  const again = () => {
    if (++refusals >= 3) return end('refused');
    const wait = session.runtime.random() * 10_000 * 2 ** Math.min(refusals - 1, 2);
    session.runtime.setTimeout(() => socket.connect(), wait);
  };
  socket.on('connect', () => {
    refused = false;
    refusals = 0;
  });
  socket.on('unauthorized', () => (refused = true));
  socket.on('connect_error', () => {
    if (socket.active) return;
    refused = true;
    again();
  });
  socket.on('disconnect', (why) => why === 'io server disconnect' && again());
  const end = (reason: LiveCloseReason) => {
    unregister();
    socket.disconnect();
    options.onClose?.(reason);
  };
  const unregister = session.register({
    renew,
    restart: () => socket.disconnect().connect(),
    wake: () => void session.token().then(renew, () => undefined),
    end,
  });
  return socket;
}
