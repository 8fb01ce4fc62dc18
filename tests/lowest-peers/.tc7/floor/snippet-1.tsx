import { useAuth } from '@tokenlane/react-auth';

interface Member {
  id: string;
  email: string;
  plan: 'free' | 'pro';
}

declare module '@tokenlane/react-auth' {
  interface Register {
    user: Member;
  }
}

export function Plan() {
  const { user } = useAuth(); // Member | null
  return <p>{user?.plan ?? 'signed out'}</p>;
}
