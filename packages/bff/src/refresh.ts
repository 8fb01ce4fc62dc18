import { randomUUID } from 'node:crypto';
import { BffError } from './errors.js';
import type { OpenSession, Sessions } from './sessions.js';
import { aliveMark, rotationMark, UnwrittenSets, type UnwrittenTimes } from './unwritten.js';
import type { Upstream } from './upstream/types.js';

/** How refreshes are coordinated; see `BffOptions`. */
export interface RefreshTimes extends UnwrittenTimes {
  /** Refresh when the access token has less than this left, ms. */
  leewayMs: number;
  /** How long a refresh lock lives, ms: longer than an upstream call may take. */
  lockMs: number;
  /** How long a request waits for another's refresh before it answers 503, ms. */
  waitMs: number;
  /** How often a waiting request reads the store, ms. */
  pollMs: number;
  /**
   * How long a rotation's mark lives, ms: the longest store outage between an upstream's
   * rotation and the store's write of its result that loses no session.
   */
  markMs: number;
  /** How long a marked rotation's instance must be seen not alive before another takes over, ms. */
  deadMs: number;
  now: () => number;
  sleep: (ms: number) => Promise<void>;
}

/** Told about each upstream refresh (for metrics and tests); never given a token. */
export type RefreshListener = (event: {
  outcome: 'rotated' | 'kept' | 'refused' | 'unavailable' | 'fenced';
}) => void;

/** The session has ended: the upstream refused its refresh, or it was removed meanwhile. */
export class SessionEnded extends Error {
  override readonly name = 'SessionEnded';
}

/**
 * One upstream refresh per session per rotation: the calls of one process share one flight (a
 * map of promises), and processes share one through the store: a lock taken with a lifetime, the
 * new token set written under a version check (fencing: a holder that stalled past its lock and
 * lost it cannot overwrite a newer set), and waiters that read the store until the version moves.
 *
 * A rotation is marked in the store before the upstream is asked. If the store cannot take the
 * result (it went down meanwhile), the set is kept in memory (`UnwrittenSets`) and written when
 * the store is back; another instance that finds the mark waits for that write while the marking
 * instance is alive, and takes over only once it has been seen not alive for `deadMs`.
 */
export class Refresher {
  private readonly flights = new Map<string, Promise<OpenSession>>();
  private readonly instance = randomUUID();
  private readonly unwritten: UnwrittenSets;

  constructor(
    private readonly sessions: Sessions,
    private readonly upstream: Upstream,
    private readonly times: RefreshTimes,
    private readonly listener: RefreshListener = () => {},
  ) {
    this.unwritten = new UnwrittenSets(sessions.store, this.instance, times);
  }

  /** How long before its expiry an access token is refreshed, ms. */
  get leewayMs(): number {
    return this.times.leewayMs;
  }

  /** The session with an access token good for `leewayMs` more, refreshed inline if needed. */
  fresh(opened: OpenSession): Promise<OpenSession> {
    const session = this.unwritten.newerThan(opened.key, opened.stored.version) ?? opened;
    if (session.tokens.accessTokenExpiresAt - this.times.leewayMs > this.times.now()) {
      return Promise.resolve(session);
    }
    return this.renew(session);
  }

  /** Stops writing kept token sets (the BFF is closing). */
  close(): Promise<void> {
    return this.unwritten.close();
  }

  /** A session whose token is newer than `session`'s (the upstream refused that one: 401). */
  renew(session: OpenSession): Promise<OpenSession> {
    const flight = this.flights.get(session.key);
    if (flight) return flight;
    const started = this.acrossInstances(session).finally(() => this.flights.delete(session.key));
    this.flights.set(session.key, started);
    return started;
  }

  private async acrossInstances(seen: OpenSession): Promise<OpenSession> {
    const { store } = this.sessions;
    const deadline = this.times.now() + this.times.waitMs;
    const lockName = `refresh:${seen.key}`;
    const watch: MarkWatch = {};
    for (;;) {
      const newer = this.unwritten.newerThan(seen.key, seen.stored.version);
      if (newer) return newer;
      const stored = await this.newerThan(seen);
      if (stored) return stored;
      const holder = await store.lock(lockName, this.times.lockMs);
      if (holder) {
        try {
          // Another instance may have finished between the read and the lock.
          const done = (await this.newerThan(seen)) ?? (await this.rotateUnlessMarked(seen, watch));
          if (done) return done;
        } finally {
          await store.unlock(lockName, holder).catch(() => {});
        }
      }
      if (this.times.now() >= deadline) {
        throw new BffError(
          'upstream_unavailable',
          'Another refresh of this session did not finish',
        );
      }
      await this.times.sleep(this.times.pollMs);
    }
  }

  /** The stored session if it moved past `seen`; throws `SessionEnded` if it is gone. */
  private async newerThan(seen: OpenSession): Promise<OpenSession | undefined> {
    const stored = await this.sessions.store.read(seen.key);
    if (!stored) throw new SessionEnded('The session has ended');
    if (stored.version === seen.stored.version) return undefined;
    const opened = await this.sessions.opened(seen.key, stored);
    if (!opened) throw new SessionEnded('The session has ended');
    return opened;
  }

  /**
   * Rotates, unless another instance marked a rotation of this session whose result it has not
   * written yet and is alive (or not seen dead for `deadMs`): then `undefined`, to wait for it.
   */
  private async rotateUnlessMarked(
    seen: OpenSession,
    watch: MarkWatch,
  ): Promise<OpenSession | undefined> {
    const { store } = this.sessions;
    const mark = await store.peek(rotationMark(seen.key));
    if (mark !== undefined && mark !== this.instance) {
      if (await store.peek(aliveMark(mark))) {
        watch.notAliveSince = undefined;
        return undefined;
      }
      watch.notAliveSince ??= this.times.now();
      if (this.times.now() - watch.notAliveSince < this.times.deadMs) return undefined;
    }
    await store.putOnce(rotationMark(seen.key), this.instance, this.times.markMs);
    return this.rotate(seen);
  }

  /** The upstream refresh itself, under the lock; its result written only over `seen`'s version. */
  private async rotate(seen: OpenSession): Promise<OpenSession> {
    const { store } = this.sessions;
    const unmark = () => store.takeOnce(rotationMark(seen.key)).catch(() => undefined);
    let next: OpenSession;
    try {
      next = this.sessions.next(seen, await this.upstream.refresh(seen.tokens));
    } catch (error) {
      // The upstream did not rotate (or its answer is lost): nothing is left to write.
      await unmark();
      if (error instanceof BffError && error.code === 'upstream_refused') {
        this.listener({ outcome: 'refused' });
        await this.sessions.end(seen.key);
        throw new SessionEnded('The upstream refused the refresh', { cause: error });
      }
      this.listener({ outcome: 'unavailable' });
      throw error;
    }
    let written: boolean;
    try {
      written = await store.replace(seen.key, next.stored, seen.stored.version);
    } catch {
      // The store went down after the upstream rotated: keep the set until it can be written.
      this.unwritten.keep(next, seen.stored.version);
      this.listener({ outcome: 'kept' });
      return next;
    }
    await unmark();
    if (written) {
      this.listener({ outcome: 'rotated' });
      return next;
    }
    // Fenced out: a newer set was written meanwhile (our lock had expired), or the session ended.
    this.listener({ outcome: 'fenced' });
    const newer = await this.newerThan(seen);
    if (!newer) throw new SessionEnded('The session has ended');
    return newer;
  }
}

/** What a waiting request saw of another instance's mark: since when it was not alive. */
interface MarkWatch {
  notAliveSince?: number;
}
