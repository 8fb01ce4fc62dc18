import type { QueryKey } from '@tanstack/react-query';
import { type Session, RefreshFailedError, SessionExpiredError } from '@tokenlane/core';
import type { RegisteredApi } from './registeredApi.js';
import { useAuthed, type Retry } from './useAuthed.js';

/** The fields of the authed query hooks' options that the builder rewrites. */
interface AuthedQueryInput<TQueryKey extends QueryKey, TContext, TQueryFnData, TError> {
  queryKey: TQueryKey;
  queryFn: (api: RegisteredApi, context: TContext) => TQueryFnData | Promise<TQueryFnData>;
  enabled?: unknown;
  retry?: Retry<TError>;
}

/** Resolves once the session is known; rejects with `SessionExpiredError` when signed out, `RefreshFailedError` when unreachable. */
async function untilSignedIn(client: Session<unknown, never>): Promise<void> {
  if (client.getState().status === 'loading') await client.restore();
  const { status } = client.getState();
  if (status === 'unreachable') throw new RefreshFailedError();
  if (status !== 'authenticated') throw new SessionExpiredError();
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
    queryFn: (context: TContext) =>
      ready().then(() => options.queryFn(api as RegisteredApi, context)),
    retry: authed.retry,
    ...(gate === 'enabled' && { enabled: authed.authenticated && (options.enabled ?? true) }),
  };
}
