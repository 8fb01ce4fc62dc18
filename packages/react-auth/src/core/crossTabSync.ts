import type { CrossTabMessage } from './channel.js';
import type { HeldToken } from './heldToken.js';

/** What the session lets the other tabs change. */
export interface CrossTabTarget<TUser> {
  /** The token this tab holds now. */
  currentToken(): string | null;
  /** Holds a token another tab obtained (login or refresh). */
  holdToken(token: HeldToken<TUser>): void;
  /** Another tab logged out, or its session expired. */
  signOutRemotely(): void;
  /** Called after a message was applied. */
  applied(type: 'token' | 'logout'): void;
}

/**
 * Applies what another tab said. Nothing is posted back while handling it, so tabs never echo
 * each other; a token this tab already holds, and a message of a kind it does not know (from
 * another version of the app), are ignored.
 */
export function createCrossTabHandler<TUser>(
  target: CrossTabTarget<TUser>,
): (message: CrossTabMessage<TUser>) => void {
  return (message) => {
    if (message.type === 'logout') target.signOutRemotely();
    else if (message.type === 'token' && message.token !== target.currentToken()) {
      target.holdToken(message);
    } else return;
    target.applied(message.type);
  };
}
