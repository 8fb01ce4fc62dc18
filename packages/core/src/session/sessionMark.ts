import type { Runtime } from './runtime.js';

/**
 * Where a tab stands in the browser's order of sign-ins and sign-outs, carried by every token it
 * holds and every message it posts. No wall clock decides between sessions: a clock set back or a
 * message that arrives late cannot reorder them.
 */
export interface SessionMark {
  /**
   * How many sign-ins and sign-outs came before, as far as this tab knows (a Lamport counter:
   * one more than the largest seen, on each). A later event has a larger one.
   */
  seq: number;
  /** The session's id, minted at its sign-in (or at a restore nobody had named); `null` once signed out. */
  sid: string | null;
}

/** Before any sign-in or sign-out the browser has seen. */
export const NO_SESSION: SessionMark = { seq: 0, sid: null };

let minted = 0;

/** A new session id: random, and unique within this page even where `random()` repeats (tests). */
export const mintSid = (runtime: Pick<Runtime, 'random'>) =>
  `${Math.floor(runtime.random() * 2 ** 48).toString(36)}.${(++minted).toString(36)}`;

/**
 * Orders two marks: the larger `seq` is later. Two events neither tab had heard of take the same
 * `seq`; every tab breaks that tie the same way, so they all end in one session: a sign-out
 * outranks a sign-in (a session someone asked to end never outlives the request), and between two
 * sign-ins the larger id wins.
 */
export function compareMarks(a: SessionMark, b: SessionMark): number {
  if (a.seq !== b.seq) return a.seq - b.seq;
  if (a.sid === b.sid) return 0;
  if (a.sid === null) return 1;
  if (b.sid === null) return -1;
  return a.sid < b.sid ? -1 : 1;
}

/** The same session (and not a later sign-out or sign-in): what a renewal must belong to. */
export const sameSession = (a: SessionMark, b: SessionMark) => a.seq === b.seq && a.sid === b.sid;
