import type { RawData, WebSocket } from 'ws';
import type { BffContext } from './context.js';

/** How often a relayed connection checks its session (ended? refreshed?), at most, ms. */
export const RELAY_CHECK_MS = 5_000;
/** What the page sends where a token would go in BFF mode (the core's `BFF_SESSION`). */
export const SESSION_MARK = 'bff-session';
/** The close code that tells the page its session ended (the live endpoint's "authenticate again"). */
const SESSION_ENDED = 4401;

/** What `relay` needs besides the two sockets. */
export interface RelayOptions {
  context: BffContext;
  /** The session cookie's value: the session is opened again at each check. */
  cookie: string | undefined;
  /** The access token the upstream connection was opened with. */
  sent: string;
  /** The in-band message for a new token, or `null`. */
  inBandAuth: ((token: string) => string) | null;
}

/** Close codes a peer may send (RFC 6455 §7.4): the others are reported, never sent. */
const sendable = (code: number) =>
  (code >= 1000 && code <= 1003) ||
  (code >= 1007 && code <= 1014) ||
  (code >= 3000 && code <= 4999);

const closeLike = (socket: WebSocket, code: number, reason: Buffer) => {
  if (sendable(code)) socket.close(code, reason.subarray(0, 123));
  else socket.terminate();
};

/** The page's message with the session mark replaced by `token`, or `undefined` if it has none. */
function withToken(data: RawData, token: () => Promise<string>) {
  const text = (Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as Buffer)).toString(
    'utf8',
  );
  if (!text.includes(SESSION_MARK)) return undefined;
  let message: unknown;
  try {
    message = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof message !== 'object' || message === null) return undefined;
  const holders = [message as Record<string, unknown>];
  const { payload } = message as { payload?: unknown };
  if (typeof payload === 'object' && payload !== null)
    holders.push(payload as Record<string, unknown>);
  const marked = holders.filter((holder) => holder.token === SESSION_MARK);
  if (marked.length === 0) return undefined;
  return token().then((fresh) => {
    for (const holder of marked) holder.token = fresh;
    return JSON.stringify(message);
  });
}

/**
 * Passes messages both ways between the page and the upstream, in order. The session is checked
 * every `RELAY_CHECK_MS` (and refreshed when its access token is due, the one shared refresh):
 * a new token goes to the upstream in band; an ended session closes the page's socket with 4401.
 */
export function relay(page: WebSocket, upstream: WebSocket, options: RelayOptions): void {
  const { context, cookie, inBandAuth } = options;
  let sent = options.sent;
  let queue: Promise<unknown> = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;
  const ended = () => {
    clearTimeout(timer);
    page.close(SESSION_ENDED, 'session ended');
    upstream.close(1000, 'session ended');
  };
  /** The session's access token now (refreshed if due), or a rejection when the session ended. */
  const current = async () => {
    const found = await context.sessions.open(cookie);
    if (!found) throw new Error('session ended');
    return (await context.refresher.fresh(found)).tokens.accessToken;
  };
  const check = async () => {
    const token = await current();
    if (token !== sent && inBandAuth && upstream.readyState === upstream.OPEN) {
      sent = token;
      upstream.send(inBandAuth(token));
    }
  };
  const schedule = () => {
    const every = Math.min(RELAY_CHECK_MS, context.refresher.leewayMs / 2);
    timer = setTimeout(() => {
      queue = queue.then(check).then(schedule, ended);
    }, every);
    timer.unref();
  };
  schedule();
  page.on('message', (data, isBinary) => {
    const replaced = isBinary ? undefined : withToken(data, current);
    queue = queue.then(async () => {
      const out = replaced ? await replaced.catch(() => undefined) : data;
      if (out === undefined) return ended();
      if (upstream.readyState === upstream.OPEN) upstream.send(out, { binary: isBinary });
    });
  });
  upstream.on('message', (data, isBinary) => page.send(data, { binary: isBinary }));
  page.on('close', (code, reason) => {
    clearTimeout(timer);
    closeLike(upstream, code, reason);
  });
  upstream.on('close', (code, reason) => {
    clearTimeout(timer);
    closeLike(page, code, reason);
  });
  page.on('error', () => upstream.terminate());
  upstream.on('error', () => page.terminate());
}
