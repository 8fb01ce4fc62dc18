import type { CrossTabMessage } from './channel.js';
import type { HeldToken } from './heldToken.js';
import type { LogoutReason } from './types.js';

/** What the session lets the other tabs change. */
export interface CrossTabTarget<TUser> {
  /** The token this tab holds now. */
  currentToken(): string | null;
  /** Where this tab stands: the stamp of its token (or sign-out), and of its session's sign-in. */
  order: { at: number; since: number | undefined };
  /** Holds a token another tab obtained (login or refresh). */
  holdToken(token: HeldToken<TUser>): void;
  /** Another tab logged out (`reason`: why), or its session expired. */
  signOutRemotely(reason: LogoutReason): void;
  /** Called after a message was applied. */
  applied(type: 'token' | 'logout'): void;
}

/**
 * Applies what another tab said. Nothing is posted back while handling it, so tabs never echo
 * each other. Ignored: a token this tab already holds, one not newer than its own or its sign-out
 * (a late message: holding it would bring back a rotated refresh token, or a session that ended or
 * was replaced), a logout from before this tab's session began (a logout and a sign-in stamped the
 * same: the logout wins), and a message of a kind it does not know (from another version).
 */
export function createCrossTabHandler<TUser>(
  target: CrossTabTarget<TUser>,
): (message: CrossTabMessage<TUser>) => void {
  return (message) => {
    // Stamps compared as numbers: a missing one (an older version's message, a restored
    // session's sign-in) compares false either way, so it never makes a message stale.
    const at = (message as { at?: number }).at as number;
    const { order } = target;
    if (message.type === 'logout') {
      if (at < (order.since as number)) return;
      target.signOutRemotely(message.reason ?? 'user');
    } else if (
      message.type === 'token' &&
      message.token !== target.currentToken() &&
      !(at <= order.at) &&
      !((message.since as number) < (order.since as number))
    ) {
      target.holdToken(message);
    } else return;
    target.applied(message.type);
  };
}
