import { Suspense } from 'react';
import { AuthGate, useAuthedSuspenseQuery } from '@tokenlane/react-auth';

function Profile() {
  const { data } = useAuthedSuspenseQuery({
    queryKey: ['me'],
    queryFn: (api) => api.get<{ name: string }>('/auth/me').then((r) => r.data),
  });
  return <h1>{data.name}</h1>;
}

export function ProfilePage() {
  return (
    <AuthGate fallback={<p>Please sign in</p>}>
      <Suspense fallback={<p>Loading…</p>}>
        <Profile />
      </Suspense>
    </AuthGate>
  );
}
