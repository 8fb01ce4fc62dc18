import { createAuthClient } from '@tokenlane/react-auth';
import { stepUp, useStepUp } from '@tokenlane/react-auth/step-up';

const steps = stepUp();
export const auth = createAuthClient({ baseURL: 'https://api.example.com', stepUp: steps });

export function ReauthDialog({ email }: { email: string }) {
  const challenge = useStepUp(steps);
  if (!challenge) return null;
  const confirm = (password: string) => auth.login({ email, password });
  return (
    <dialog open>
      <p>Confirm your password to continue (sign-in within {challenge.maxAge} s).</p>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          void confirm(new FormData(event.currentTarget).get('password') as string);
        }}
      >
        <input name="password" type="password" autoComplete="current-password" />
        <button type="submit">Confirm</button>
        <button type="button" onClick={steps.cancel}>
          Cancel
        </button>
      </form>
    </dialog>
  );
}
