import type { AuthState, Session } from './types.js';

/**
 * The session's state once it is known, for route guards and loaders outside React: waits for
 * the page-load `restore()` (joining one in progress, never a second request), then resolves
 * with `authenticated`, `unauthenticated` or `unreachable`. Never rejects.
 */
export async function ensureSession<TUser>(
  client: Pick<Session<TUser, never>, 'getState' | 'restore'>,
): Promise<AuthState<TUser>> {
  return client.getState().status === 'loading' ? client.restore() : client.getState();
}
