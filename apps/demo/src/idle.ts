import type { Session } from '@tokenlane/react-auth';
import { idleSignOut } from '@tokenlane/react-auth/idle';

/**
 * The demo's idle sign-out: 15 minutes without activity in any tab, with a minute's warning;
 * `?idle=<seconds>` shortens it (the warning comes at a third of it, at most a minute before),
 * so the end-to-end test and a curious visitor can watch it.
 */
export function idleOptionsOf(search: string): { timeoutMs: number; warnBeforeMs: number } {
  const seconds = Number(new URLSearchParams(search).get('idle'));
  const timeoutMs = (Number.isFinite(seconds) && seconds >= 3 ? seconds : 15 * 60) * 1000;
  return { timeoutMs, warnBeforeMs: Math.min(60_000, Math.round(timeoutMs / 3)) };
}

export const idle = idleSignOut(idleOptionsOf(location.search));

let endedByIdle = false;

/** Remembers whether the last sign-out was idle sign-out's, for the login form to say so. */
export function watchIdleEnd(client: Pick<Session, 'on'>): void {
  client.on('logout', ({ reason }) => (endedByIdle = reason === 'idle'));
  client.on('login', () => (endedByIdle = false));
}

/** Whether the last sign-out in this tab was for inactivity. */
export const signedOutForIdle = (): boolean => endedByIdle;
