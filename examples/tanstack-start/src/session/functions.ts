import { createServerFn } from '@tanstack/react-start';
import { getRequest } from '@tanstack/react-start/server';
import type { Claims } from '../authClient';
import { API_URL, getBff } from './bff';

/** The session the page renders with: its facts (the user, when it ends), never a token. */
export const getSessionFacts = createServerFn().handler(async () => {
  const session = await getBff().getSession(getRequest());
  return (session?.facts ?? null) as { user: Claims } | null;
});

/** The user's `sub` as the API sees it with this request's session, or why not. */
export const getApiUser = createServerFn().handler(async (): Promise<string> => {
  const session = await getBff().getSession(getRequest());
  if (!session) return 'signed out';
  const answer = await fetch(API_URL, { headers: await session.authorization('GET', API_URL) });
  if (!answer.ok) return `failed: ${answer.status}`;
  return ((await answer.json()) as { sub: string }).sub;
});
