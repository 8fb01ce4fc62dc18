import { useSessionEnding } from '@tokenlane/react-auth/session-end';

/**
 * Ten minutes before the session's absolute end (the API's REFRESH_TOKEN_TTL after the sign-in,
 * which no refresh extends): a warning to save one's work.
 */
export function SessionEndBanner() {
  const endsAt = useSessionEnding({ notice: 600 });
  if (endsAt === null) return null;
  return (
    <p className="notice" role="status" data-testid="session-ending">
      Save your work: your session ends at {new Date(endsAt).toLocaleTimeString()}, and you will be
      asked to sign in again.
    </p>
  );
}
