import type { CrossTabMessage } from './channel.js';
import type { HeldToken } from './heldToken.js';
import { compareMarks, sameSession, type SessionMark } from './sessionMark.js';
import type { LogoutReason } from './types.js';

/** What the session lets the other tabs change. */
export interface CrossTabTarget<TUser> {
  /** The token this tab holds now, and the stamp of its renewal. */
  currentToken(): string | null;
  renewalAt(): number;
  /** The session this tab belongs to, and the latest the browser's record knows of. */
  mark(): SessionMark;
  recorded(): SessionMark;
  /** Holds a token another tab obtained (login or refresh). */
  holdToken(token: HeldToken<TUser>): void;
  /** Another tab signed out (`reason`: why), at `seq` in the browser's order. */
  signOutRemotely(seq: number, reason: LogoutReason): void;
  /** Called after a message was applied. */
  applied(type: 'token' | 'logout'): void;
}

/**
 * Applies what another tab said. Nothing is posted back while handling it, so tabs never echo
 * each other. A message counts only if nothing this tab or the browser's record knows came after
 * it: a token of this tab's session if it is a later renewal, a token of another session if that
 * session began later (a sign-in), a logout if it came after this tab's sign-in. Ignored: a late
 * message (its answer or sign-out began before a sign-in or sign-out it did not know of), one this
 * tab already applied, and one without a mark (an older version's, or a kind it does not know).
 */
export function createCrossTabHandler<TUser>(
  target: CrossTabTarget<TUser>,
): (message: CrossTabMessage<TUser>) => void {
  return (message) => {
    if (message.type !== 'token' && message.type !== 'logout') return;
    const { seq } = message;
    if (typeof seq !== 'number') return;
    const theirs: SessionMark = {
      seq,
      sid: message.type === 'token' ? (message.sid ?? null) : null,
    };
    const mine = target.mark();
    if (compareMarks(target.recorded(), theirs) > 0) return;
    if (message.type === 'logout') {
      if (compareMarks(theirs, mine) <= 0) return;
      target.signOutRemotely(seq, message.reason);
    } else {
      if (theirs.sid === null || message.token === target.currentToken()) return;
      const later = sameSession(theirs, mine)
        ? (message.at ?? 0) > target.renewalAt()
        : compareMarks(theirs, mine) > 0;
      if (!later) return;
      target.holdToken(message);
    }
    target.applied(message.type);
  };
}
