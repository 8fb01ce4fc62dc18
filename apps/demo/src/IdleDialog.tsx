import { useIdleTimer } from '@tokenlane/react-auth/idle';
import { useModalDialog } from './useModalDialog.js';

/**
 * The idle warning: a modal `<dialog>` in every tab once nobody has used any of them for a while.
 * "Stay signed in" (or Escape) keeps the session, in every tab; otherwise the countdown ends in a
 * sign-out everywhere. The seconds are read out once when it opens, not at every tick.
 */
export function IdleDialog() {
  const { warning, msLeft, stay } = useIdleTimer();
  const dialog = useModalDialog(warning);
  const seconds = Math.ceil((msLeft ?? 0) / 1000);

  return (
    <dialog
      ref={dialog}
      className="card idle"
      aria-labelledby="idle-title"
      aria-describedby="idle-text"
      data-testid="idle-dialog"
      // Escape closes a modal dialog: that is staying too (the user is here).
      onClose={() => warning && stay()}
    >
      <h2 id="idle-title">Are you still there?</h2>
      <p id="idle-text">
        You have been inactive for a while. For your security you will be signed out in{' '}
        <strong data-testid="idle-seconds">{seconds}</strong> s, in every tab.
      </p>
      <div className="actions">
        <button type="button" onClick={stay} data-testid="idle-stay">
          Stay signed in
        </button>
      </div>
    </dialog>
  );
}
