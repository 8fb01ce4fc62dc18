import { useQueryClient, type QueryKey } from '@tanstack/react-query';
import { SessionExpiredError } from '@tokenlane/core';
import { useAuthContext } from './AuthContext.js';
import { useAuthSnapshot } from './useAuthSnapshot.js';
import { authedQueryKey } from './authedQueryOptions.js';

/** TanStack's `retry` option. */
export type Retry<TError> =
  boolean | number | ((failureCount: number, error: TError) => boolean) | undefined;

/**
 * What every authed hook shares: the client, the session status, the query key scoped by user
 * (`authedQueryKey`), and a `retry` that never repeats a `SessionExpiredError`.
 * @internal
 */
export function useAuthed<TError>(retry: Retry<TError>, kind: 'queries' | 'mutations') {
  const { client, api } = useAuthContext();
  const { status, user } = useAuthSnapshot(client);
  const fallback = useQueryClient().getDefaultOptions()[kind]?.retry as Retry<TError>;
  const chosen = retry ?? fallback ?? (kind === 'queries' ? 3 : 0);
  return {
    api,
    client,
    authenticated: status === 'authenticated',
    scope: <K extends QueryKey>(queryKey: K) => authedQueryKey(queryKey, user),
    retry: (failureCount: number, error: TError) =>
      !(error instanceof SessionExpiredError) &&
      (typeof chosen === 'function'
        ? chosen(failureCount, error)
        : typeof chosen === 'number'
          ? failureCount < chosen
          : chosen),
  };
}
