import type { AuthChannel } from './channel.js';
import { createMemoryLock, type LockFunc } from './lock.js';
import type { Runtime } from './runtime.js';
import { mintSid } from './sessionMark.js';

/**
 * A tab's claim of a lock, told over the channel (`claim: false` lets it go); `reply`: a holder
 * telling a tab that claimed it (a page opened since the holder claimed it) that it is taken.
 */
export interface LockMessage {
  type: 'lock';
  name: string;
  id: string;
  claim: boolean;
  reply?: boolean | undefined;
}

/** The longest pause before a tab claims again after two claimed at once, ms (jittered). */
export const CLAIM_BACKOFF_MS = 50;

/**
 * A lock shared by the tabs over their channel, for browsers without the Web Locks API. A tab
 * claims it (a message), lets the channel settle (what other tabs posted before has arrived),
 * and holds it only if no other claim is live; two tabs that claimed at once both step back and
 * try again after a random pause. Safe because the channel relays messages in one order: of two
 * claims, the later one's tab has seen the earlier one when it settles. A wait that times out runs
 * without the lock (`held: false`), as with Web Locks; a claim still there at a second timeout (a
 * tab closed while holding it, without `pagehide`) is dropped then.
 */
export function createChannelLock(
  channel: AuthChannel<unknown> & { settle(): Promise<void> },
  runtime: Runtime,
): LockFunc {
  const local = createMemoryLock(runtime);
  /** Live claims of other tabs, per lock name. */
  const others = new Map<string, Set<string>>();
  /** This tab's live claim, per lock name. */
  const mine = new Map<string, string>();
  /** Claims that were live when a wait for them timed out. */
  const stale = new Set<string>();
  const changed: Array<() => void> = [];
  const changedNow = () => changed.splice(0).forEach((wake) => wake());
  const claimsOn = (name: string) => others.get(name) ?? others.set(name, new Set()).get(name)!;
  const tell = (name: string, id: string, claim: boolean, reply?: boolean) =>
    channel.post({ type: 'lock', name, id, claim, ...(reply && { reply }) } as never);

  channel.subscribe((message) => {
    const lock = message as Partial<LockMessage>;
    if (lock.type !== 'lock' || !lock.name || !lock.id) return;
    const claims = claimsOn(lock.name);
    if (lock.claim) {
      claims.add(lock.id);
      const held = mine.get(lock.name);
      if (held && !lock.reply) tell(lock.name, held, true, true);
    } else {
      claims.delete(lock.id);
      stale.delete(lock.id);
    }
    changedNow();
  });
  // A tab that goes away lets go of what it holds.
  const letGo = () => mine.forEach((id, name) => tell(name, id, false));
  if (typeof window !== 'undefined') window.addEventListener('pagehide', letGo);

  /**
   * Claims `name` for this tab: waits while another tab's claim is live, then claims and lets the
   * channel settle, stepping back on a tie. Resolves with the claim's id (and whether it had to wait
   * or step back), or `null` at the acquire
   * timeout (a claim still there at a second timeout is dropped then: a tab closed holding it,
   * without `pagehide`; a frozen holder that long is the one case this lock cannot tell apart).
   */
  async function claim(
    name: string,
    acquireTimeoutMs: number,
  ): Promise<{ id: string; waited: boolean } | null> {
    let timedOut = false;
    let waited = false;
    const timer = runtime.setTimeout(() => {
      timedOut = true;
      changedNow();
    }, acquireTimeoutMs);
    try {
      for (;;) {
        while (claimsOn(name).size > 0 && !timedOut) {
          waited = true;
          await new Promise<void>((wake) => changed.push(wake));
        }
        if (timedOut) {
          for (const other of claimsOn(name)) {
            if (stale.has(other)) claimsOn(name).delete(other);
            else stale.add(other);
          }
          return null;
        }
        const id = mintSid(runtime);
        mine.set(name, id);
        tell(name, id, true);
        await channel.settle();
        if (claimsOn(name).size === 0) return { id, waited };
        // Another tab claimed it at the same time: both step back, and claim again later.
        mine.delete(name);
        tell(name, id, false);
        waited = true;
        await new Promise<void>((resume) =>
          runtime.setTimeout(resume, runtime.random() * CLAIM_BACKOFF_MS),
        );
      }
    } finally {
      runtime.clearTimeout(timer);
    }
  }

  return (name, acquireTimeoutMs, fn) =>
    local(name, acquireTimeoutMs, async (grant) => {
      if (grant.held === false) return fn(grant);
      const claimed = await claim(name, acquireTimeoutMs);
      if (claimed === null) return fn({ waited: true, held: false });
      try {
        return await fn({ waited: grant.waited || claimed.waited, held: true });
      } finally {
        mine.delete(name);
        tell(name, claimed.id, false);
      }
    });
}
