import { AuthUsageError } from '../session/errors.js';
import type { PluginContext, PluginHooks, TokenlanePlugin } from '../session/plugin.js';
import type { SessionPort } from '../session/port.js';
import type { Runtime } from '../session/runtime.js';
import type { LogoutReason } from '../session/types.js';

/**
 * Why a live connection closed for good (it does not reconnect): the session ended (`user`,
 * `idle`, `expired`, `remote`: the `logout` event's reasons), the server refused a fresh token
 * (`refused`), or the app closed it (`closed`).
 */
export type LiveCloseReason = LogoutReason | 'refused' | 'closed';

/** A live connection as the session drives it (what `authedWebSocket` registers). */
export interface LiveConnection {
  /** The session holds a new access token: authenticate in band with it. */
  renew(token: string): void;
  /** Another user signed in: a connection belongs to one user, so connect again at once, as them. */
  restart(): void;
  /** The page may have slept: check the token before the next message goes out. */
  wake(): void;
  /** The session ended, or the app closed the connection: close it for good. */
  end(reason: LiveCloseReason): void;
}

/** What a live transport asks of the session. */
export interface LiveSession {
  /** Registers `connection`; returns its removal. Throws once the client is disposed. */
  register(connection: LiveConnection): () => void;
  /** The token to authenticate with now (after the one shared refresh, if one is due); `null` when signed out. */
  token(): Promise<string | null>;
  /** A token for after the server refused `sentWith`: the newer one, or one shared refresh's. */
  renewAfterRefusal(sentWith: string): Promise<string>;
  /**
   * The header that carries `token` on a request of its own (an event stream's): the profile's
   * (`Authorization: Bearer …`; in BFF mode the custom header, the BFF adds the token).
   */
  authorization(token: string): [name: string, value: string];
  /** The client's clock, timers and randomness. */
  runtime: Runtime;
}

/** The `live()` plug-in: pass it in the client's `plugins`, then open connections on the client. */
export interface LiveConnections extends TokenlanePlugin {
  readonly name: 'live';
  setup: (context: PluginContext) => PluginHooks;
  /** The session as live transports see it; throws `live_not_configured` before `setup`. */
  session(): LiveSession;
}

/**
 * Live connections that follow the session (a plug-in: `plugins: [live()]`). Every connection
 * authenticates with the session's token and gets each new one as it lands, whoever refreshed
 * (a request, another tab, a connection, a wake-up): one refresh per rotation for all of them.
 * When the session ends, in this tab or another, every connection closes with the reason.
 */
export function live(): LiveConnections {
  let attached: LiveSession | undefined;
  return {
    name: 'live',
    setup({ session, port, runtime, profile }) {
      const connections = new Set<LiveConnection>();
      let ended = false;
      const each = (act: (connection: LiveConnection) => void) => [...connections].forEach(act);
      const userId = () => (session.getState().user as { id?: unknown } | null)?.id;
      let user = userId();
      const push = () =>
        void port.getAccessToken().then(
          (token) => {
            if (token === null) return;
            const previous = user;
            user = userId();
            if (previous !== undefined && user !== previous) each((c) => c.restart());
            else each((connection) => connection.renew(token));
          },
          () => undefined,
        );
      const stops = [
        session.on('refresh-success', push),
        session.on('login', push),
        session.on('cross-tab', ({ type }) => type === 'token' && push()),
        session.on('logout', ({ reason }) => each((connection) => connection.end(reason))),
        runtime.onWake(() => each((connection) => connection.wake())),
      ];
      attached = liveSession(port, runtime, connections, () => ended, profile.authorization);
      return {
        dispose() {
          ended = true;
          stops.forEach((stop) => stop());
          each((connection) => connection.end('closed'));
        },
      };
    },
    session() {
      if (!attached) {
        throw new AuthUsageError('live_not_configured', "live(): not in a client's plugins");
      }
      return attached;
    },
  };
}

function liveSession(
  port: SessionPort,
  runtime: Runtime,
  connections: Set<LiveConnection>,
  disposed: () => boolean,
  authorization: LiveSession['authorization'],
): LiveSession {
  return {
    register(connection) {
      if (disposed()) throw new AuthUsageError('live_not_configured', 'live(): client disposed');
      connections.add(connection);
      return () => void connections.delete(connection);
    },
    token: () => port.getAccessToken(),
    renewAfterRefusal: (sentWith) => port.renewAfterRejection(sentWith),
    authorization,
    runtime,
  };
}
