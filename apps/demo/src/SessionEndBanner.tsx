import { useSessionEnding } from '@tokenlane/react-auth/session-end';
import { useEffect, useRef, useState } from 'react';

/**
 * Ten minutes before the session's absolute end (the API's REFRESH_TOKEN_TTL after the sign-in,
 * which no refresh extends): a warning to save one's work. It says how many times this tab was
 * told (`data-told`): once per end, however often the token is renewed.
 */
export function SessionEndBanner() {
  const endsAt = useSessionEnding({ notice: 600 });
  const last = useRef<number | null>(null);
  const [told, setTold] = useState(0);
  useEffect(() => {
    if (endsAt !== null && endsAt !== last.current) setTold((count) => count + 1);
    last.current = endsAt;
  }, [endsAt]);
  if (endsAt === null) return null;
  return (
    <p className="notice" role="status" data-testid="session-ending" data-told={told}>
      Save your work: your session ends at {new Date(endsAt).toLocaleTimeString()}, and you will be
      asked to sign in again.
    </p>
  );
}
