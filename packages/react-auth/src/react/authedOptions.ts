import { useQueryClient, type QueryKey } from '@tanstack/react-query';
import type { AxiosInstance } from 'axios';
import { SessionExpiredError } from '../core/errors.js';
import { useAuthClient } from './AuthContext.js';
import { useAuthSnapshot } from './useAuth.js';

type Retry<TError> =
  boolean | number | ((failureCount: number, error: TError) => boolean) | undefined;

/** A user's key segment: their `id`, or `null` while signed out. */
const scopeOf = (user: unknown) => ({
  user: user && typeof user === 'object' && 'id' in user ? user.id : null,
});

/**
 * What every authed hook shares: the client, the session status, the query key scoped by user
 * (appended, so prefix filters such as `invalidateQueries({ queryKey: ['todos'] })` still match),
 * and a `retry` that never repeats a `SessionExpiredError`.
 * @internal
 */
export function useAuthed<TError>(retry: Retry<TError>, kind: 'queries' | 'mutations') {
  const client = useAuthClient();
  const { status, user } = useAuthSnapshot(client);
  const fallback = useQueryClient().getDefaultOptions()[kind]?.retry as Retry<TError>;
  const chosen = retry ?? fallback ?? (kind === 'queries' ? 3 : 0);
  return {
    api: client.axios,
    client,
    authenticated: status === 'authenticated',
    scope: <K extends QueryKey>(queryKey: K) => [...queryKey, scopeOf(user)] as unknown as K,
    retry: (failureCount: number, error: TError) =>
      !(error instanceof SessionExpiredError) &&
      (typeof chosen === 'function'
        ? chosen(failureCount, error)
        : typeof chosen === 'number'
          ? failureCount < chosen
          : chosen),
  };
}

/** The fields of the query hooks' options that `useAuthedQueryOptions` rewrites. */
interface AuthedQueryInput {
  queryKey: QueryKey;
  queryFn: (api: AxiosInstance, context: never) => unknown;
  enabled?: unknown;
  retry?: unknown;
}

/**
 * TanStack options for an authed query (plain or infinite): key scoped by user, `queryFn` given
 * the authed instance, `enabled` only once authenticated, `retry` guarded.
 * @internal
 */
export function useAuthedQueryOptions(options: AuthedQueryInput) {
  const authed = useAuthed(options.retry as Retry<unknown>, 'queries');
  return {
    ...options,
    queryKey: authed.scope(options.queryKey),
    queryFn: (context: never) => options.queryFn(authed.api, context),
    enabled: authed.authenticated ? (options.enabled ?? true) : false,
    retry: authed.retry,
  };
}
