import { useQueryClient } from '@tanstack/react-query';
import { useAuth, useAuthClient } from '@tokenlane/react-auth';
import { authedWebSocket, live } from '@tokenlane/react-auth/live';
import { useEffect, useState } from 'react';
import { API } from './demoApi.js';

/** The client's live connections (a plug-in of the client, in SPA and BFF modes). */
export const liveUpdates = live();

/** Where the live updates stand, as the todo list shows it. */
export type LiveStatus = 'off' | 'connecting' | 'live';

/**
 * Keeps the todo list current from the API's live endpoint (`/api/live`, a WebSocket on the
 * session): a change made in another tab or on another device shows here at once. In BFF mode the
 * same code connects through the BFF (`/bff-api/live`), which puts its token on the socket.
 */
export function useLiveTodos(
  queryKey: readonly unknown[],
  enabled: boolean,
  /** Whether a change is this tab's own (its mutation refetches the list already). */
  isOwn: (todoId: string) => boolean,
): LiveStatus {
  const client = useAuthClient();
  const { isAuthenticated } = useAuth();
  const queryClient = useQueryClient();
  // Whether the live endpoint said `authed` on the current connection.
  const [authed, setAuthed] = useState(false);
  useEffect(() => {
    if (!enabled || !isAuthenticated) return;
    const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}${API}/live`;
    const socket = authedWebSocket(client, url, {
      onMessage: (text) => {
        const message = JSON.parse(text) as { type?: string; todo?: { id: string } };
        if (message.type === 'authed') setAuthed(true);
        // Another tab's change: refetch the list (a fetch already on its way answers it).
        if (message.type === 'todo' && !isOwn(message.todo?.id ?? '')) {
          void queryClient.invalidateQueries({ queryKey }, { cancelRefetch: false });
        }
      },
      onClose: () => setAuthed(false),
    });
    // Back from hidden or frozen (a sleeping laptop): is the connection still there? The socket
    // checks its token first, so a new one goes before this ping when the old one expired meanwhile.
    const check = () => document.visibilityState === 'visible' && socket.send('{"type":"ping"}');
    document.addEventListener('visibilitychange', check);
    document.addEventListener('resume', check);
    return () => {
      document.removeEventListener('visibilitychange', check);
      document.removeEventListener('resume', check);
      socket.close();
    };
  }, [client, enabled, isAuthenticated, isOwn, queryClient, queryKey]);
  if (!enabled || !isAuthenticated) return 'off';
  return authed ? 'live' : 'connecting';
}
