import { useAuth } from '@tokenlane/react-auth';
import { useStepUp, type StepUpChallenge } from '@tokenlane/react-auth/step-up';
import { useState, type FormEvent } from 'react';
import { steps } from './stepUp.js';
import { useModalDialog } from './useModalDialog.js';

/**
 * Asks for the password again while requests wait for a step-up (the admin routes want a recent
 * sign-in). A modal `<dialog>`: the focus moves into it, Escape cancels; signing in releases the
 * waiting requests, cancelling fails them with `StepUpRequiredError`.
 */
export function StepUpDialog() {
  const challenge = useStepUp(steps);
  const dialog = useModalDialog(challenge !== null);

  return (
    <dialog
      ref={dialog}
      className="card step-up"
      aria-labelledby="step-up-title"
      data-testid="step-up-dialog"
      // Escape closes a modal dialog (Chromium fires no `cancel` event without a user activation
      // since it opened): closing it while requests still wait gives up the step-up. After a
      // sign-in nothing waits any more, and this does nothing.
      onClose={() => steps.cancel()}
    >
      <h2 id="step-up-title">Confirm it’s you</h2>
      {/* Mounted per step-up: each one starts with an empty form. */}
      {challenge ? <StepUpForm challenge={challenge} /> : null}
    </dialog>
  );
}

function StepUpForm({ challenge }: { challenge: StepUpChallenge }) {
  const { user, login } = useAuth();
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  async function confirm(event: FormEvent) {
    event.preventDefault();
    if (!user || password === '') return;
    setPending(true);
    setError(null);
    try {
      await login({ email: user.email, password });
    } catch {
      setError('That password is not right. Try again.');
      setPending(false);
    }
  }

  return (
    <form onSubmit={(event) => void confirm(event)} noValidate>
      <p>
        This action needs a recent sign-in
        {challenge.maxAge !== undefined ? ` (within ${challenge.maxAge} s)` : ''}. Enter your
        password to continue: your request waits, and goes through once you do.
      </p>
      <label htmlFor="step-up-password">Password</label>
      <input
        id="step-up-password"
        type="password"
        autoComplete="current-password"
        value={password}
        onChange={(event) => setPassword(event.target.value)}
        data-testid="step-up-password"
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? 'step-up-error' : undefined}
      />
      {error ? (
        <p id="step-up-error" className="alert" role="alert">
          {error}
        </p>
      ) : null}
      <div className="actions">
        <button type="submit" disabled={pending} data-testid="step-up-confirm">
          {pending ? 'Confirming…' : 'Confirm'}
        </button>
        <button
          type="button"
          className="ghost"
          onClick={() => steps.cancel()}
          data-testid="step-up-cancel"
        >
          Cancel
        </button>
      </div>
    </form>
  );
}
