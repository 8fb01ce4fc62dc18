import type { Runtime } from '../session/runtime.js';

/** The DOM events that count as activity by default (`visibilitychange` only when the tab shows). */
export const IDLE_EVENTS: readonly string[] = [
  'pointerdown',
  'pointermove',
  'keydown',
  'wheel',
  'scroll',
  'touchstart',
  'visibilitychange',
];

/** A tab counts (and tells the others) at most one activity per this many ms. */
const THROTTLE_MS = 1_000;

/**
 * Calls `onActivity` for the DOM `events` on `target` (captured, passive), at most once a second,
 * never for a tab being hidden. Returns what stops listening.
 */
export function listenForActivity(
  runtime: Pick<Runtime, 'now'>,
  target: EventTarget | undefined,
  events: readonly string[],
  onActivity: () => void,
): () => void {
  let lastCounted = -Infinity;
  const onEvent = (event: Event) => {
    const hidden = typeof document !== 'undefined' && document.visibilityState === 'hidden';
    if (event.type === 'visibilitychange' && hidden) return;
    const now = runtime.now();
    if (now - lastCounted < THROTTLE_MS) return;
    lastCounted = now;
    onActivity();
  };
  const listen = { capture: true, passive: true };
  events.forEach((type) => target?.addEventListener(type, onEvent, listen));
  return () => events.forEach((type) => target?.removeEventListener(type, onEvent, listen));
}
