import type { QueryKey } from '@tanstack/react-query';
import type { AxiosInstance } from 'axios';
import type { AuthClient } from '../createAuthClient.js';
import { SessionExpiredError } from '../core/errors.js';
import { useAuthed, type Retry } from './useAuthed.js';

/** The fields of the authed query hooks' options that the builder rewrites. */
interface AuthedQueryInput<TQueryKey extends QueryKey, TContext, TQueryFnData, TError> {
  queryKey: TQueryKey;
  queryFn: (api: AxiosInstance, context: TContext) => TQueryFnData | Promise<TQueryFnData>;
  enabled?: unknown;
  retry?: Retry<TError>;
}

/** Resolves once the session is known; rejects with `SessionExpiredError` when signed out. */
async function untilSignedIn(client: AuthClient<unknown>): Promise<void> {
  if (client.getState().status === 'loading') await client.restore();
  if (client.getState().status !== 'authenticated') throw new SessionExpiredError();
}

/**
 * TanStack options for an authed query: key scoped by user, `queryFn` given the authed instance,
 * `retry` guarded. `gate` says how it waits for a session: a plain or infinite query is disabled
 * until authenticated (`'enabled'`); a suspense query, which cannot be disabled, waits for
 * `restore()` in its `queryFn` and throws `SessionExpiredError` when signed out (`'queryFn'`).
 * @internal
 */
export function useAuthedQueryOptions<
  TOptions extends AuthedQueryInput<TQueryKey, TContext, TQueryFnData, TError>,
  TQueryKey extends QueryKey,
  TContext,
  TQueryFnData,
  TError,
>(
  options: TOptions & AuthedQueryInput<TQueryKey, TContext, TQueryFnData, TError>,
  gate: 'enabled' | 'queryFn',
) {
  const authed = useAuthed(options.retry, 'queries');
  const { api, client } = authed;
  const ready = () => (gate === 'queryFn' ? untilSignedIn(client) : Promise.resolve());
  return {
    ...options,
    queryKey: authed.scope(options.queryKey),
    queryFn: (context: TContext) => ready().then(() => options.queryFn(api, context)),
    retry: authed.retry,
    ...(gate === 'enabled' && { enabled: authed.authenticated && (options.enabled ?? true) }),
  };
}
