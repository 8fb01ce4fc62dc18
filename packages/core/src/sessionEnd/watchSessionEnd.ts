import type { Runtime } from '../session/runtime.js';
import type { Session } from '../session/types.js';

/** The longest delay a timer takes as it is (2^31 - 1 ms, about 24.8 days); longer ones fire at once. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** Options of `onSessionEnding` and `useSessionEnding`. */
export interface SessionEndingOptions {
  /** Seconds before the end to tell. @default 300 */
  notice?: number;
  /** The clock and timers (tests inject a virtual one). @default the page's */
  runtime?: Pick<Runtime, 'now' | 'setTimeout' | 'clearTimeout'>;
}

const pageTimers: NonNullable<SessionEndingOptions['runtime']> = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as Parameters<typeof clearTimeout>[0]),
};

/**
 * Calls `listener(endsAt)` `notice` seconds before the session's known end (`sessionEndsAt`: the
 * refresh token's absolute end, when the server says), so the app can warn ("save your work:
 * you will be asked to sign in at 18:00"). Once per end: a renewal that moves the end (a server
 * with a sliding lifetime) re-arms it, a sign-out disarms it, an end already nearer than `notice`
 * is told at once. Returns a function that stops it.
 */
export function onSessionEnding(
  client: Pick<Session<unknown, never>, 'getState' | 'subscribe'>,
  listener: (endsAt: number) => void,
  options: SessionEndingOptions = {},
): () => void {
  const runtime = options.runtime ?? pageTimers;
  const noticeMs = (options.notice ?? 300) * 1000;
  let armedFor: number | null = null;
  let timer: unknown;
  const disarm = () => {
    if (timer !== undefined) runtime.clearTimeout(timer);
    timer = undefined;
  };
  const arm = (endsAt: number) => {
    const wait = endsAt - noticeMs - runtime.now();
    timer = runtime.setTimeout(
      () => (wait > MAX_TIMER_MS ? arm(endsAt) : listener(endsAt)),
      Math.max(0, Math.min(wait, MAX_TIMER_MS)),
    );
  };
  const check = () => {
    const { sessionEndsAt } = client.getState();
    if (sessionEndsAt === armedFor) return;
    disarm();
    armedFor = sessionEndsAt;
    if (sessionEndsAt !== null) arm(sessionEndsAt);
  };
  const stop = client.subscribe(check);
  check();
  return () => {
    stop();
    disarm();
  };
}
