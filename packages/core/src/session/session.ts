import { createBrowserRecord } from './browserRecord.js';
import { createCrossTabHandler } from './crossTabSync.js';
import { createEmitter } from './emitter.js';
import { SessionExpiredError } from './errors.js';
import { createRestore } from './restoreSession.js';
import { SESSION_END_DRIFT_MS, toHeldToken } from './heldToken.js';
import { createWebLock } from './lock.js';
import { createPendingSignOut } from './pendingSignOut.js';
import type { SessionPort } from './port.js';
import {
  createRefreshFlight,
  LOCK_ACQUIRE_TIMEOUT_MS,
  REFRESH_LOCK_NAME,
} from './refreshFlight.js';
import { createRequestTokens } from './requestTokens.js';
import { createRefreshScheduler } from './refreshScheduler.js';
import { mintSid, type SessionMark } from './sessionMark.js';
import { createTokenHolder } from './tokenHolder.js';
import {
  LOGOUT_FLIGHT_WAIT_MS,
  PROACTIVE_RETRY_MS,
  type SessionOptions,
} from './sessionOptions.js';
import type { AuthEvents, LogoutReason, Session, TokenSet } from './types.js';
import { within } from './within.js';
import { createStorageWriter } from './storageWriter.js';

/** The session and the port its transport adapters use, sharing one state. */
export function createSession<TUser, TCredentials>(
  options: SessionOptions<TUser, TCredentials>,
): {
  session: Session<TUser, TCredentials>;
  port: SessionPort;
  /** Signs out (here, in the other tabs, at the server) for `reason`: what `logout()` does for `user`. */
  end: (reason: LogoutReason) => Promise<void>;
} {
  const { transport, runtime, channel, storage, storageKey = 'tokenlane:refresh' } = options;
  const inBody = options.refreshTokenIn === 'body';
  const record = options.record ?? createBrowserRecord(`${storageKey}:session`, undefined);
  const lock = options.lock ?? createWebLock();
  const events = createEmitter<AuthEvents<TUser>>();
  const held = createTokenHolder<TUser>(
    runtime,
    options.refreshLeewaySeconds,
    () => {
      refresh('scheduled').catch(() => {
        // Expiry itself is reported through events; a failed proactive refresh only tries again.
        if (held.outlives(PROACTIVE_RETRY_MS)) held.renewAt(runtime.now() + PROACTIVE_RETRY_MS);
      });
    },
    createStorageWriter(storage, storageKey),
  );
  const { store } = held;
  held.setMark(record.read());
  const pending = createPendingSignOut(runtime, record, transport, inBody);

  /** A mark later than any this tab or the browser's record has seen: a sign-in's, or a sign-out's. */
  const nextMark = (sid: string | null): SessionMark => ({
    seq: Math.max(record.read().seq, held.mark.seq) + 1,
    sid,
  });

  /** Holds a token the server just issued for the session `mark`, and tells the other tabs. */
  function acceptTokenSet(set: TokenSet<TUser>, mark: SessionMark, signIn = false) {
    // A restore nobody had named a session for starts one.
    const session = mark.sid === null ? nextMark(mintSid(runtime)) : mark;
    if (session !== mark) record.write(session);
    const { user, sessionEndsAt } = store.getState();
    const token = {
      // A renewal that does not say when the session ends keeps the end its session had.
      ...(!signIn && sessionEndsAt !== null && { sessionEndsAt }),
      // A new session shares nothing with the one before.
      ...toHeldToken(set, signIn ? null : user, runtime.now()),
      at: held.stamp(),
      ...session,
    };
    held.hold(token);
    channel?.post({ type: 'token', ...token });
  }

  /** Signs out in this tab at `mark`; if a live session ended, `announce` tells whoever must know. */
  function signOut(mark: SessionMark, announce: () => void) {
    const wasSignedIn = held.isSignedIn();
    held.setMark(mark);
    held.clear();
    if (wasSignedIn) announce();
  }

  /** Ends the session everywhere for `reason`: this tab, the browser's record, the other tabs. */
  function endHere(reason: LogoutReason, pendingAtServer: boolean) {
    const mark = nextMark(null);
    record.write({ ...mark, pending: pendingAtServer ? reason : undefined });
    signOut(mark, () => events.emit('logout', { remote: false, reason }));
    // Told even by a tab that had not heard of the sign-in yet: the user means the browser's.
    channel?.post({ type: 'logout', seq: mark.seq, reason });
    return mark;
  }

  /** The server refused to renew, or the end came: sign out here and in the other tabs, and report it. */
  function expireSession(error: SessionExpiredError) {
    if (!held.isSignedIn()) return held.clear();
    const endsAt = store.getState().sessionEndsAt;
    const ended = endsAt !== null && runtime.now() >= endsAt - SESSION_END_DRIFT_MS.earlier;
    endHere(ended ? 'expired' : 'remote', false);
    events.emit('session-expired', { error });
    options.onSessionExpired?.(error);
  }
  /** At the session's end every tab signs out at once, without waiting for a refusal. */
  const endTimer = createRefreshScheduler(runtime, () => expireSession(new SessionExpiredError()));
  store.subscribe(() => endTimer.schedule(store.getState().sessionEndsAt));

  const { flight, refresh } = createRefreshFlight<TUser>({
    transport,
    held,
    runtime,
    lock,
    channel,
    events,
    record,
    inBody,
    accept: acceptTokenSet,
    expire: expireSession,
  });
  const restorer = createRestore({
    held,
    record,
    pending,
    runtime,
    refresh,
    accept: acceptTokenSet,
    parse: options.parseTokenResponse ?? ((data) => data as TokenSet<TUser>),
    inBody,
    storage,
    storageKey,
  });

  /**
   * This tab leaves its session for `next` (another tab's sign-in or sign-out): a refresh token
   * it holds of that session is revoked, as the tab that ended it may not have held it.
   */
  function leave(next: string | null) {
    const left = held.refreshToken;
    if (left !== null && next !== held.mark.sid) transport.logout(left).catch(() => undefined);
  }

  const unsubscribeChannel = channel?.subscribe(
    createCrossTabHandler<TUser>({
      currentToken: () => held.token,
      renewalAt: () => held.order.at,
      mark: () => held.mark,
      recorded: () => record.read(),
      holdToken(token) {
        leave(token.sid ?? null);
        held.hold(token);
      },
      signOutRemotely(seq, reason) {
        leave(null);
        signOut({ seq, sid: null }, () => events.emit('logout', { remote: true, reason }));
      },
      applied: (type) => events.emit('cross-tab', { type }),
    }),
  );

  const { getAccessToken, port } = createRequestTokens({ runtime, held, flight, refresh, events });

  /** Signs out here and in the other tabs (saying why), then tells the server until it confirms. */
  async function end(reason: LogoutReason) {
    const refreshToken = held.refreshToken;
    const inFlight = flight.current?.promise;
    const { seq } = endHere(reason, true);
    await pending.start(seq, refreshToken);
    // A refresh in flight may still be handed a new refresh token: it revokes it as it lands.
    if (inFlight) {
      await within(
        runtime,
        inFlight.catch(() => ''),
        LOGOUT_FLIGHT_WAIT_MS,
        () => Promise.resolve(''),
      );
    }
  }

  const session: Session<TUser, TCredentials> = {
    getState: store.getState,
    subscribe: store.subscribe,
    on: events.on,
    getAccessToken,
    async login(credentials) {
      const previous = inBody ? held.refreshToken : null;
      // Under the refresh lock (waiting for it as long as a refresh would): no tab's refresh
      // answer, nor its cookie, lands after this sign-in.
      const set = await lock(REFRESH_LOCK_NAME, LOCK_ACQUIRE_TIMEOUT_MS, () =>
        transport.login(credentials),
      );
      const mark = nextMark(mintSid(runtime));
      record.write(mark);
      acceptTokenSet(set, mark, true);
      // A new session: the one it replaces ends at the server too (a cookie's, by the server).
      if (previous !== null && previous !== set.refreshToken) {
        transport.logout(previous).catch(() => undefined);
      }
      events.emit('login', { user: store.getState().user });
      return store.getState();
    },
    logout: () => end('user'),
    restore: restorer.restore,
    refresh: ({ force = false } = {}) => refresh('manual', force),
    dispose() {
      restorer.dispose();
      endTimer.dispose();
      pending.dispose();
      held.dispose();
      unsubscribeChannel?.();
      channel?.close();
    },
  };

  return { session, port, end };
}
