import { createClient, type Client } from 'graphql-ws';
import type { LiveCloseReason, LiveConnections } from '@tokenlane/react-auth/live';

/** graphql-ws's `Forbidden`: the server refused the token, or it expired. */
const FORBIDDEN = 4403;
/** Closes that the session asked for: connect again at once. */
const RESTART = 4205;

/**
 * A graphql-ws client on the session (`plugins: [liveUpdates]`). The token is asked for at each
 * connection (`connectionParams` as a function); a new one goes in band as a `ping` whose payload
 * is `{ token }` (the server's `onPing` takes it), so a rotation needs no reconnect. After a
 * 4403 the next connection gets a fresh token from the one shared refresh; 3 in a row end it.
 */
export function graphqlLive(
  liveUpdates: LiveConnections,
  url: string,
  options: { webSocketImpl?: unknown; onClose?: (reason: LiveCloseReason) => void } = {},
): Client {
  const session = liveUpdates.session();
  let socket: { send(data: string): void; close(code: number, reason: string): void } | null = null;
  let sent: string | null = null;
  let refusals = 0;
  let restarting = false;
  const renew = (token: string | null) => {
    if (!socket || token === null || token === sent) return;
    sent = token;
    socket.send(JSON.stringify({ type: 'ping', payload: { token } }));
  };
  const end = (reason: LiveCloseReason) => {
    unregister();
    void client.dispose();
    options.onClose?.(reason);
  };
  const client = createClient({
    url,
    webSocketImpl: options.webSocketImpl,
    connectionParams: async () => {
      sent = refusals > 0 && sent ? await session.renewAfterRefusal(sent) : await session.token();
      return { token: sent };
    },
    retryAttempts: Infinity,
    shouldRetry: (event) => {
      if ((event as { code?: number }).code !== FORBIDDEN) return true;
      if (++refusals < 3) return true;
      queueMicrotask(() => end('refused'));
      return false;
    },
    // Spread out (random, doubling up to 4x), so that many clients cut off at once come back apart.
    retryWait: (retries) =>
      new Promise((resolve) => {
        const wait = restarting ? 0 : session.runtime.random() * 10_000 * 2 ** Math.min(retries, 2);
        restarting = false;
        session.runtime.setTimeout(resolve, wait);
      }),
    on: {
      connected: (connected) => {
        socket = connected as typeof socket;
        refusals = 0;
      },
      closed: () => (socket = null),
    },
  });
  const unregister = session.register({
    renew,
    restart: () => {
      restarting = true;
      socket?.close(RESTART, 'another user');
    },
    wake: () => void session.token().then(renew, () => undefined),
    end,
  });
  return client;
}
