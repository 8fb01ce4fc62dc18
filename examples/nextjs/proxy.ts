import { NextResponse, type NextRequest } from 'next/server';
import { getBff } from './lib/bff';

/**
 * Protects the pages: a request with no live session is sent to sign in. It reads the session
 * and never refreshes it: the components that call APIs refresh on demand, once per rotation.
 */
export async function proxy(request: NextRequest) {
  if (await getBff().getSession(request)) return NextResponse.next();
  const login = new URL('/bff/login', request.url);
  login.searchParams.set('returnTo', request.nextUrl.pathname);
  return NextResponse.redirect(login);
}

/** Every page; not the BFF's own routes, the proxied API, or Next.js's assets. */
export const config = { matcher: ['/((?!bff/|api/|user$|_next/|favicon.ico).*)'] };
