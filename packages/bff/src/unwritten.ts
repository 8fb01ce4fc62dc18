import type { OpenSession } from './sessions.js';
import type { SessionStore } from './store/types.js';

/** The store key of a rotation's mark: which instance is rotating a session's token set. */
export const rotationMark = (key: string) => `rotating:${key}`;

/** The store key an instance keeps alive while it holds token sets the store did not take. */
export const aliveMark = (instance: string) => `alive:${instance}`;

/** How `UnwrittenSets` retries; see `RefreshTimes`. */
export interface UnwrittenTimes {
  /** How often the writes are tried again (and the instance says it is alive), ms. */
  beatMs: number;
  /** How long one "alive" lasts in the store, ms: a few beats. */
  aliveMs: number;
  sleep: (ms: number) => Promise<void>;
}

/**
 * Token sets the upstream issued whose write the store could not take (it was down after the
 * upstream had rotated): kept in this instance's memory, served from here, and written under the
 * version check as soon as the store answers again. Until then the rotation's mark stays in the
 * store and the instance says there that it is alive, so that another instance waits for this
 * write instead of refreshing with the token the upstream already consumed.
 */
export class UnwrittenSets {
  private readonly sets = new Map<string, { next: OpenSession; over: number }>();
  private flushing: Promise<void> | undefined;
  private closed = false;

  constructor(
    private readonly store: SessionStore,
    private readonly instance: string,
    private readonly times: UnwrittenTimes,
  ) {}

  /** The kept set of a session, if it is newer than `version`. */
  newerThan(key: string, version: number): OpenSession | undefined {
    const kept = this.sets.get(key)?.next;
    return kept && kept.stored.version > version ? kept : undefined;
  }

  /** Keeps `next` until the store takes it over version `over` (or refuses it: a newer set, or the session ended). */
  keep(next: OpenSession, over: number): void {
    this.sets.set(next.key, { next, over });
    this.flushing ??= this.flush().finally(() => (this.flushing = undefined));
  }

  /** Stops trying; the sets still kept are dropped with the process. */
  close(): Promise<void> {
    this.closed = true;
    return this.flushing ?? Promise.resolve();
  }

  private async flush(): Promise<void> {
    while (this.sets.size > 0 && !this.closed) {
      for (const [key, { next, over }] of this.sets) {
        try {
          // False: a newer set was written (another instance took over) or the session ended.
          await this.store.replace(key, next.stored, over);
        } catch {
          continue; // The store is still down.
        }
        this.sets.delete(key);
        await this.store.takeOnce(rotationMark(key)).catch(() => {});
      }
      if (this.sets.size === 0) return;
      await this.store.putOnce(aliveMark(this.instance), '1', this.times.aliveMs).catch(() => {});
      await this.times.sleep(this.times.beatMs);
    }
  }
}
