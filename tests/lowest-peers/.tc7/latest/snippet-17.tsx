import { useSessionEnding } from '@tokenlane/react-auth/session-end';

export function SessionEndBanner() {
  const endsAt = useSessionEnding({ notice: 600 });
  if (endsAt === null) return null;
  return (
    <p role="status">
      Save your work: you will be asked to sign in again at {new Date(endsAt).toLocaleTimeString()}.
    </p>
  );
}
