import { createAuthClient } from '@tokenlane/react-auth';
import { idleSignOut, useIdleTimer } from '@tokenlane/react-auth/idle';

export const idle = idleSignOut({ timeoutMs: 15 * 60_000, warnBeforeMs: 60_000 });
export const auth = createAuthClient({ baseURL: 'https://api.example.com', idle });
auth.on('logout', ({ reason }) => {
  if (reason === 'idle') console.info('Signed out after 15 minutes without activity');
});

export function IdleWarningDialog() {
  const { warning, msLeft, stay } = useIdleTimer();
  if (!warning) return null;
  return (
    <div role="alertdialog" aria-modal="true" aria-labelledby="idle-title">
      <h2 id="idle-title">Are you still there?</h2>
      <p>You will be signed out in {Math.ceil((msLeft ?? 0) / 1000)} s.</p>
      <button onClick={stay}>Stay signed in</button>
    </div>
  );
}
