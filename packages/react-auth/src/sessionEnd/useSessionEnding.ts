import { useEffect, useState, useSyncExternalStore } from 'react';
import { useAuthContext } from '../react/AuthContext.js';
import { onSessionEnding, type SessionEndingOptions } from '@tokenlane/core/session-end';

/**
 * The session's end (epoch ms) once it is `notice` seconds away or less, else `null`: render the
 * "you will be asked to sign in at ..." warning while it is not `null`. The nearest
 * `<AuthProvider>`'s client; re-renders when the end nears, moves or goes.
 */
export function useSessionEnding(options: SessionEndingOptions = {}): number | null {
  const { client } = useAuthContext();
  const endsAt = useSyncExternalStore(
    client.subscribe,
    () => client.getState().sessionEndsAt,
    () => client.getState().sessionEndsAt,
  );
  const [told, setTold] = useState<number | null>(null);
  const { notice, runtime } = options;
  useEffect(() => onSessionEnding(client, setTold, { notice, runtime }), [client, notice, runtime]);
  return told !== null && told === endsAt ? told : null;
}
