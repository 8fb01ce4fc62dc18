import { createParser } from 'eventsource-parser';
import type { LiveCloseReason, LiveConnection } from './liveConnections.js';
import { liveSessionOf, reconnectDelay } from './liveLink.js';

/** One Server-Sent Event, as `authedEventSource` hands it over. */
export interface ServerSentEvent {
  /** Its `id:` (what a reconnect resumes after, as `Last-Event-ID`). */
  id: string | undefined;
  /** Its `event:` name (`message` when it has none). */
  event: string;
  data: string;
}

/** Options of `authedEventSource`. */
export interface AuthedEventSourceOptions {
  /** Sends the requests. @default `globalThis.fetch` */
  fetch?: typeof fetch;
  /** Every event but the stream's own `ready` and `expired`. */
  onEvent?: (event: ServerSentEvent) => void;
  /** Runs each time a stream starts, the first and every reconnect. */
  onOpen?: (source: AuthedEventSource) => void;
  /** It closed for good, saying why. */
  onClose?: (reason: LiveCloseReason) => void;
  /** Where a new token for the stream is posted (`{"stream":…}`, with the token). @default `${url}/auth` */
  authUrl?: string;
  /** Reconnects wait a random time below this, ms (doubling, to 4×, while they keep failing). @default 10_000 */
  reconnectWindowMs?: number;
}

/** A Server-Sent Events stream that follows the session. */
export interface AuthedEventSource {
  /** Closes it for good (`onClose('closed')`). */
  close(): void;
  /** How many times it has connected again. */
  readonly reconnects: number;
  /** The id of the last event it got (sent as `Last-Event-ID` when it connects again). */
  readonly lastEventId: string | undefined;
  /** Why it closed for good; `null` while it lives. */
  readonly closed: LiveCloseReason | null;
}

/**
 * Server-Sent Events over `fetch` on `client`'s session (which needs the `live()` plug-in): the
 * token in the `Authorization` header (which `EventSource` cannot send). The server's first event,
 * `ready`, names the stream; each new token of the session is posted for it (`authUrl`) before the
 * last one expires, and the stream goes on. When the stream ends (the server's `expired`, a 401, a
 * network loss) it connects again after a random wait, with a fresh token from the one shared
 * refresh and `Last-Event-ID`: no event is lost. When the session ends it closes with the reason.
 */
export function authedEventSource(
  client: object,
  url: string,
  options: AuthedEventSourceOptions = {},
): AuthedEventSource {
  const live = liveSessionOf(client, 'authedEventSource');
  const fetcher = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const authUrl = options.authUrl ?? `${url.replace(/\/$/, '')}/auth`;
  const windowMs = options.reconnectWindowMs ?? 10_000;
  const state = { reconnects: 0, closed: null as LiveCloseReason | null };
  let lastEventId: string | undefined;
  let stream: string | undefined;
  let latest: string | undefined;
  let sent: string | undefined;
  let controller: AbortController | undefined;
  let timer: unknown;
  let failures = 0;
  let refusals = 0;

  const authenticate = (token: string) => {
    latest = token;
    if (stream === undefined || token === sent) return;
    sent = token;
    const [name, value] = live.authorization(token);
    const headers = { [name]: value, 'Content-Type': 'application/json' };
    // A post that fails leaves the stream to expire: it then connects again, losing nothing.
    void fetcher(authUrl, { method: 'POST', headers, body: JSON.stringify({ stream }) }).then(
      (answer) => answer.body?.cancel(),
      () => undefined,
    );
  };
  const again = (refused: string | undefined) => {
    stream = undefined;
    if (state.closed) return;
    if (refused !== undefined && ++refusals > 2) return end('refused');
    timer = live.runtime.setTimeout(
      () => {
        state.reconnects++;
        const token = refused === undefined ? live.token() : live.renewAfterRefusal(refused);
        token.then(run, () => end('expired'));
      },
      reconnectDelay(live, windowMs, failures++),
    );
  };
  const run = async (token: string | null) => {
    if (state.closed) return;
    if (token === null) return end('expired');
    const own = (controller = new AbortController());
    sent = latest = token;
    const [name, value] = live.authorization(token);
    const headers: Record<string, string> = {
      [name]: value,
      Accept: 'text/event-stream',
      ...(lastEventId !== undefined && { 'Last-Event-ID': lastEventId }),
    };
    let expired = false;
    try {
      const answer = await fetcher(url, { headers, signal: own.signal, cache: 'no-store' });
      if (answer.status === 401) return again(token);
      if (!answer.ok || !answer.body) return again(undefined);
      const parser = createParser({
        onEvent: ({ id, event = 'message', data }) => {
          if (event === 'ready') {
            stream = (JSON.parse(data) as { stream: string }).stream;
            failures = refusals = 0;
            options.onOpen?.(api);
            // A token that landed while it connected goes to the stream now.
            if (latest !== undefined && latest !== sent) authenticate(latest);
          } else if (event === 'expired') {
            expired = true;
          } else {
            if (id !== undefined) lastEventId = id;
            options.onEvent?.({ id, event, data });
          }
        },
      });
      const decoder = new TextDecoder();
      const reader = answer.body.getReader();
      for (let read = await reader.read(); !read.done; read = await reader.read()) {
        parser.feed(decoder.decode(read.value, { stream: true }));
      }
    } catch {
      // A network loss, or `close()`'s abort: handled below.
    }
    if (own === controller) again(expired ? sent : undefined);
  };
  const end = (reason: LiveCloseReason) => {
    if (state.closed) return;
    state.closed = reason;
    unregister();
    live.runtime.clearTimeout(timer);
    controller?.abort();
    options.onClose?.(reason);
  };
  const connection: LiveConnection = {
    renew: authenticate,
    restart() {
      live.runtime.clearTimeout(timer);
      controller?.abort();
      controller = undefined;
      stream = lastEventId = undefined;
      live.token().then(run, () => end('expired'));
    },
    wake: () => void live.token().then((token) => token !== null && authenticate(token)),
    end,
  };
  const unregister = live.register(connection);
  const api: AuthedEventSource = {
    close: () => end('closed'),
    get reconnects() {
      return state.reconnects;
    },
    get lastEventId() {
      return lastEventId;
    },
    get closed() {
      return state.closed;
    },
  };
  live.token().then(run, () => end('expired'));
  return api;
}
