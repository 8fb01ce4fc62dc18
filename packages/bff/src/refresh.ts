import { BffError } from './errors.js';
import type { OpenSession, Sessions } from './sessions.js';
import type { Upstream } from './upstream/types.js';

/** How refreshes are coordinated; see `BffOptions`. */
export interface RefreshTimes {
  /** Refresh when the access token has less than this left, ms. */
  leewayMs: number;
  /** How long a refresh lock lives, ms: longer than an upstream call may take. */
  lockMs: number;
  /** How long a request waits for another's refresh before it answers 503, ms. */
  waitMs: number;
  /** How often a waiting request reads the store, ms. */
  pollMs: number;
  now: () => number;
  sleep: (ms: number) => Promise<void>;
}

/** Told about each upstream refresh (for metrics and tests); never given a token. */
export type RefreshListener = (event: {
  outcome: 'rotated' | 'refused' | 'unavailable' | 'fenced';
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
 */
export class Refresher {
  private readonly flights = new Map<string, Promise<OpenSession>>();

  constructor(
    private readonly sessions: Sessions,
    private readonly upstream: Upstream,
    private readonly times: RefreshTimes,
    private readonly listener: RefreshListener = () => {},
  ) {}

  /** The session with an access token good for `leewayMs` more, refreshed inline if needed. */
  fresh(session: OpenSession): Promise<OpenSession> {
    if (session.tokens.accessTokenExpiresAt - this.times.leewayMs > this.times.now()) {
      return Promise.resolve(session);
    }
    return this.renew(session);
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
    for (;;) {
      const newer = await this.newerThan(seen);
      if (newer) return newer;
      const holder = await store.lock(lockName, this.times.lockMs);
      if (holder) {
        try {
          // Another instance may have finished between the read and the lock.
          return (await this.newerThan(seen)) ?? (await this.rotate(seen));
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

  /** The upstream refresh itself, under the lock; its result written only over `seen`'s version. */
  private async rotate(seen: OpenSession): Promise<OpenSession> {
    let next: OpenSession;
    try {
      next = this.sessions.next(seen, await this.upstream.refresh(seen.tokens));
    } catch (error) {
      if (error instanceof BffError && error.code === 'upstream_refused') {
        this.listener({ outcome: 'refused' });
        await this.sessions.end(seen.key);
        throw new SessionEnded('The upstream refused the refresh', { cause: error });
      }
      this.listener({ outcome: 'unavailable' });
      throw error;
    }
    if (await this.sessions.store.replace(seen.key, next.stored, seen.stored.version)) {
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
