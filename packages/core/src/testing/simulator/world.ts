import type { Runtime } from '../../session/runtime.js';

/** What a simulated tab is doing: running, asleep (timers stopped), frozen, or closed for good. */
export type TabState = 'running' | 'asleep' | 'frozen' | 'killed';

/** One tab's place in the world: its state, its timers' throttling, what waits for it to run. */
export interface Place {
  readonly id: number;
  state: TabState;
  /** Background-tab throttling: its timers fire only on whole minutes. */
  throttled: boolean;
  /** Things that arrived while it did not run (answers, messages): run in order when it does. */
  inbox: Array<() => void>;
  wakeListeners: Set<() => void>;
  /** Settles when the tab is closed: whatever it held under a lock is let go. */
  closed: Promise<void>;
  close(): void;
}

interface Timer {
  owner: Place | null;
  /** Monotonic ms. */
  at: number;
  seq: number;
  callback: () => void;
}

/** How long Chrome's intensive throttling makes a background tab's timers wait: whole minutes. */
export const THROTTLE_MS = 60_000;

/** A 32-bit seeded generator (mulberry32): deterministic, good enough for schedules. */
export function seeded(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Lets every pending promise chain run (a macrotask turn, a few times). */
export async function settle() {
  for (let i = 0; i < 3; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

/**
 * One virtual clock for everything: monotonic time that only `advance` moves, the wall clock the
 * tabs read (which a test may jump), and timers owned by tabs or by the network.
 */
export function createWorld(start: number, random: () => number) {
  let mono = 0;
  let wallOffset = start;
  let seq = 0;
  const timers = new Map<number, Timer>();
  const places: Place[] = [];

  const runs = (place: Place | null) => place === null || place.state === 'running';
  const dueAt = (timer: Timer) =>
    timer.owner?.throttled ? Math.ceil(timer.at / THROTTLE_MS) * THROTTLE_MS : timer.at;
  const nextDue = (until: number) =>
    [...timers.entries()]
      .filter(([, timer]) => runs(timer.owner) && dueAt(timer) <= until)
      .sort(([, a], [, b]) => dueAt(a) - dueAt(b) || a.seq - b.seq)[0];

  const world = {
    /** Monotonic ms since the start (the server's clock). */
    get mono() {
      return mono;
    },
    /** The tabs' wall clock, epoch ms. */
    wallNow: () => mono + wallOffset,
    /** The system clock changed (by `ms`): the wall clock jumps, timers do not fire. */
    jumpWallClock: (ms: number) => void (wallOffset += ms),
    /** A timer on the world's clock; `owner` null for the network (always runs). */
    schedule(owner: Place | null, ms: number, callback: () => void) {
      const id = ++seq;
      timers.set(id, { owner, at: mono + Math.max(0, ms), seq: id, callback });
      return id;
    },
    cancel: (id: unknown) => void timers.delete(id as number),
    /** Moves the clock by `ms`, firing due timers of running owners in order, settling between. */
    async advance(ms: number) {
      const target = mono + ms;
      for (;;) {
        await settle();
        const next = nextDue(target);
        if (!next) break;
        timers.delete(next[0]);
        mono = Math.max(mono, dueAt(next[1]));
        next[1].callback();
      }
      mono = target;
      await settle();
    },
    /**
     * Moves the clock in steps of `stepMs` until `promise` settles (an action that waits for the
     * network, such as a login), at most `maxMs`; then fails, naming what never ended.
     */
    async until<T>(promise: Promise<T>, what: string, stepMs = 10, maxMs = 120_000): Promise<T> {
      let settled = false;
      const done = promise.finally(() => (settled = true));
      done.catch(() => undefined);
      // Fine steps at first (most actions end within a few round trips), coarser ones after (a
      // sign-in waiting for a lock): timers fire in order within each step either way.
      for (let waited = 0; !settled;) {
        if (waited >= maxMs) throw new Error(`${what} did not end within ${maxMs} ms (virtual)`);
        const step = Math.min(Math.max(stepMs, Math.floor(waited / 10)), 1_000);
        await world.advance(step);
        waited += step;
      }
      return done;
    },
    place(): Place {
      let close = () => {};
      const place: Place = {
        id: places.length,
        state: 'running',
        throttled: false,
        inbox: [],
        wakeListeners: new Set(),
        closed: new Promise<void>((resolve) => (close = resolve)),
        close: () => {
          place.state = 'killed';
          place.inbox.length = 0;
          close();
        },
      };
      places.push(place);
      return place;
    },
    /** Runs `fn` in `place` now if it runs, later if it sleeps or is frozen, never if closed. */
    deliver(place: Place, fn: () => void) {
      if (place.state === 'running') fn();
      else if (place.state !== 'killed') place.inbox.push(fn);
    },
    /** The place runs again: what arrived meanwhile runs, in order; overdue timers fire on `advance`. */
    resume(place: Place) {
      // A closed tab never runs again: nothing wakes it.
      if (place.state === 'killed') return;
      place.state = 'running';
      place.inbox.splice(0).forEach((fn) => fn());
    },
    /** The runtime a tab in `place` sees. */
    runtimeFor(place: Place): Runtime {
      return {
        now: world.wallNow,
        setTimeout: (callback, ms) => world.schedule(place, ms, callback),
        clearTimeout: world.cancel,
        random,
        onWake(listener) {
          place.wakeListeners.add(listener);
          return () => place.wakeListeners.delete(listener);
        },
      };
    },
  };
  return world;
}

/** The world the simulator runs in. */
export type World = ReturnType<typeof createWorld>;
