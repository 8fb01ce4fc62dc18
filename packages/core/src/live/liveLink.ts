import { portOf } from '../session/devHandle.js';
import { AuthUsageError } from '../session/errors.js';
import { pluginOf } from '../wireSession.js';
import type { LiveConnections, LiveSession } from './liveConnections.js';

/** The live session of `client` (its `live()` plug-in), for a transport named `who`. */
export function liveSessionOf(client: object, who: string): LiveSession {
  const plugin = pluginOf(portOf(client), 'live') as LiveConnections | undefined;
  if (!plugin) {
    throw new AuthUsageError('live_not_configured', `${who}: the client has no live() plug-in`);
  }
  return plugin.session();
}

/**
 * How long to wait before connecting again: a random time below `windowMs`, doubled for each
 * attempt that failed before (up to 4×), so that many clients cut off at once come back spread out.
 */
export const reconnectDelay = (live: LiveSession, windowMs: number, failures: number) =>
  live.runtime.random() * windowMs * 2 ** Math.min(failures, 2);
