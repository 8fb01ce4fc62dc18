import { AuthUsageError } from '@tokenlane/core';
import { portOf } from '@tokenlane/core/adapter';
import { useEffect, useReducer, useSyncExternalStore } from 'react';
import { useAuthContext } from '../react/AuthContext.js';
import type { IdleSignOut } from '@tokenlane/core/idle';
import { pluginOf } from '@tokenlane/core/adapter';

/** What `useIdleTimer()` returns. */
export interface IdleTimer {
  /** Whether the warning is on: show the "stay signed in" dialog. */
  warning: boolean;
  /** When the session ends if nobody is active (epoch ms); `null` while signed out. */
  endsAt: number | null;
  /** How long until then, ms, updated every second while the warning is on; `null` while signed out. */
  msLeft: number | null;
  /** Stay signed in: ends the warning and starts the timeout over, in every tab. */
  stay: () => void;
}

/**
 * Idle sign-out as components see it: the warning, the time left, and `stay()`. Uses the idle
 * sign-out of the nearest `<AuthProvider>`'s client (its `idle` option), or `idle` when given.
 */
export function useIdleTimer(idle?: IdleSignOut): IdleTimer {
  const { client } = useAuthContext();
  const binding = idle ?? (pluginOf(portOf(client), 'idle') as IdleSignOut | undefined);
  if (!binding)
    throw new AuthUsageError(
      'idle_not_configured',
      'useIdleTimer: the client has no `idle` option',
    );
  const { warning, endsAt } = useSyncExternalStore(
    binding.subscribe,
    binding.getState,
    binding.getState,
  );
  const [, tick] = useReducer((count: number) => count + 1, 0);
  useEffect(() => {
    if (!warning) return;
    const every = setInterval(tick, 1_000);
    return () => clearInterval(every);
  }, [warning]);
  return { warning, endsAt, msLeft: binding.msLeft(), stay: binding.staySignedIn };
}
