import type { LiveCloseReason, LiveConnection } from './liveConnections.js';
import { liveSessionOf, reconnectDelay } from './liveLink.js';

/**
 * What `authedWebSocket` needs of a WebSocket: the browser's, or `ws`'s in Node. It sets the
 * handlers itself: `onmessage` gets an event with `data`, `onclose` one with `code`.
 */
export interface WebSocketLike {
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((event: never) => void) | null;
  onmessage: ((event: never) => void) | null;
  onclose: ((event: never) => void) | null;
  /** Set to a no-op: a close follows every error (and `ws` throws an error nobody listens to). */
  onerror: ((event: never) => void) | null;
}

/** Options of `authedWebSocket`. */
export interface AuthedWebSocketOptions {
  protocols?: string | string[];
  /** Opens a socket. @default `new WebSocket(url, protocols)` (the global: browsers, Node ≥ 22) */
  connect?: (url: string, protocols?: string | string[]) => WebSocketLike;
  /** The in-band message that carries `token`. @default `{"type":"auth","token":…}` as JSON */
  authMessage?: (token: string) => string;
  /** Runs each time a connection is authenticated, the first and every reconnect: subscribe here. */
  onOpen?: (socket: AuthedWebSocket) => void;
  /** A message from the server (its text). */
  onMessage?: (data: string) => void;
  /** It closed for good, saying why: the session ended, the server refused a fresh token, or `close()`. */
  onClose?: (reason: LiveCloseReason) => void;
  /** Reconnects wait a random time below this, ms (doubling, to 4×, while they keep failing). @default 10_000 */
  reconnectWindowMs?: number;
}

/** A WebSocket that follows the session. */
export interface AuthedWebSocket {
  /** Sends `data` once the connection is authenticated with a live token (queued, in order, meanwhile). */
  send(data: string): void;
  /** Closes it for good (`onClose('closed')`). */
  close(): void;
  /** How many times it has connected again after a network loss or a 4401. */
  readonly reconnects: number;
  /** Why it closed for good; `null` while it lives. */
  readonly closed: LiveCloseReason | null;
}

/** Closed by the server for a missing, refused or expired token: authenticate anew. */
export const CLOSE_UNAUTHORIZED = 4401;
/** Closed by the server for a token of another user than the connection's. */
export const CLOSE_OTHER_USER = 4403;

/**
 * A WebSocket on `client`'s session (which needs the `live()` plug-in). The token travels in
 * band: the first message, and again each time the session gets a new one, before the last one
 * expires, with no reconnect. It connects again (after a random wait, so that many clients spread
 * out) only on a network loss or a 4401 close, with a fresh token from the one shared refresh, and
 * calls `onOpen` to subscribe again. After a wake-up, the token is checked before the next message.
 * When the session ends (here, in another tab, idle, its end), it closes with that reason.
 */
export function authedWebSocket(
  client: object,
  url: string | URL,
  options: AuthedWebSocketOptions = {},
): AuthedWebSocket {
  const live = liveSessionOf(client, 'authedWebSocket');
  const { runtime } = live;
  const connect =
    options.connect ??
    ((href: string, protocols?: string | string[]) => new WebSocket(href, protocols));
  const authMessage = options.authMessage ?? ((token) => JSON.stringify({ type: 'auth', token }));
  const windowMs = options.reconnectWindowMs ?? 10_000;

  let socket: WebSocketLike | undefined;
  /** The newest token the session handed over, and the one this connection last sent. */
  let latest: string | undefined;
  let sent: string | undefined;
  let open = false;
  /** A token check under way (after a wake-up): messages wait for it. */
  let checking: Promise<void> | undefined;
  /** Closes since the server last said anything, and 4401s among them. */
  let failures = 0;
  let refusals = 0;
  let timer: unknown;
  const queue: string[] = [];
  const state = { reconnects: 0, closed: null as LiveCloseReason | null };

  const flush = () => {
    while (open && !checking && queue.length > 0) socket?.send(queue.shift()!);
  };
  const authenticate = (token: string) => {
    latest = token;
    if (!open || token === sent) return;
    sent = token;
    socket?.send(authMessage(token));
  };
  const start = (token: string | null) => {
    if (state.closed) return;
    if (token === null) return end('expired');
    latest = token;
    const next = connect(String(url), options.protocols);
    socket = next;
    next.onopen = () => {
      open = true;
      sent = undefined;
      // A token that landed while it connected is the one to send.
      authenticate(latest ?? token);
      flush();
      options.onOpen?.(api);
    };
    next.onmessage = ({ data }: { data: unknown }) => {
      failures = refusals = 0;
      options.onMessage?.(String(data));
    };
    next.onerror = () => undefined;
    next.onclose = ({ code }: { code: number }) => {
      if (socket !== next || state.closed) return;
      open = false;
      if (code === CLOSE_OTHER_USER) return end('refused');
      const refused = code === CLOSE_UNAUTHORIZED ? sent : undefined;
      // Refused again with a fresh token, twice: the server will not take this session.
      if (refused !== undefined && ++refusals > 2) return end('refused');
      const wait = reconnectDelay(live, windowMs, failures++);
      timer = runtime.setTimeout(() => {
        state.reconnects++;
        const token = refused === undefined ? live.token() : live.renewAfterRefusal(refused);
        token.then(start, () => end('expired'));
      }, wait);
    };
  };
  const end = (reason: LiveCloseReason) => {
    if (state.closed) return;
    state.closed = reason;
    unregister();
    runtime.clearTimeout(timer);
    open = false;
    socket?.close(1000, reason);
    options.onClose?.(reason);
  };
  const connection: LiveConnection = {
    renew: authenticate,
    restart() {
      if (state.closed) return;
      runtime.clearTimeout(timer);
      const previous = socket;
      socket = undefined;
      open = false;
      previous?.close(1000, 'another user');
      live.token().then(start, () => end('expired'));
    },
    wake() {
      checking ??= live.token().then(
        (token) => {
          checking = undefined;
          if (token !== null) authenticate(token);
          flush();
        },
        () => end('expired'),
      );
    },
    end,
  };
  const unregister = live.register(connection);
  const api: AuthedWebSocket = {
    send(data) {
      if (state.closed) return;
      queue.push(data);
      flush();
    },
    close: () => end('closed'),
    get reconnects() {
      return state.reconnects;
    },
    get closed() {
      return state.closed;
    },
  };
  live.token().then(start, () => end('expired'));
  return api;
}
