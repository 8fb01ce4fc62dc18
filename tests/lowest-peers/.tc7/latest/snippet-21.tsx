import { redirect, type LoaderFunctionArgs } from 'react-router';
import { createAuthClient, ensureSession } from '@tokenlane/react-auth';

const auth = createAuthClient();

export async function requireSession({ request }: LoaderFunctionArgs) {
  const { status } = await ensureSession(auth);
  if (status !== 'authenticated') {
    throw redirect(`/login?redirect=${encodeURIComponent(new URL(request.url).pathname)}`);
  }
  return null;
}
// After login: navigate(searchParams.get('redirect') ?? '/').
