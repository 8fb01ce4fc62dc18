import { useAuthState } from '@tokenlane/react-auth';

export function ExpiresAt() {
  const expiresAt = useAuthState((state) => state.expiresAt);
  return <small>{expiresAt ? new Date(expiresAt).toLocaleTimeString() : '-'}</small>;
}
