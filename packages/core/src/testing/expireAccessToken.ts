import { portOf } from '../session/devHandle.js';
import type { Session } from '../session/types.js';

/**
 * Treats `client`'s access token as expired now, as if it had run out while the page slept: the
 * next request renews it, with one refresh that the requests sent meanwhile share (so a burst
 * right after shows one refresh, with the reason `expired`). For devtools, demos and tests; the
 * server is not told.
 */
export function expireAccessToken(client: Session<unknown, never>): void {
  portOf(client).expireNow();
}
