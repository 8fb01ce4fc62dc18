import type { QueryKey } from '@tanstack/react-query';
import type { Session } from '../core/types.js';
import { RefreshFailedError, SessionExpiredError } from '../core/errors.js';
import { useAuthed, type Retry } from './useAuthed.js';

/** The fields of the authed query hooks' options that the builder rewrites. */
interface AuthedQueryInput<TApi, TQueryKey extends QueryKey, TContext, TQueryFnData, TError> {
  queryKey: TQueryKey;
  queryFn: (api: TApi, context: TContext) => TQueryFnData | Promise<TQueryFnData>;
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
  TOptions extends AuthedQueryInput<TApi, TQueryKey, TContext, TQueryFnData, TError>,
  TApi,
  TQueryKey extends QueryKey,
  TContext,
  TQueryFnData,
  TError,
>(
  options: TOptions & AuthedQueryInput<TApi, TQueryKey, TContext, TQueryFnData, TError>,
  gate: 'enabled' | 'queryFn',
) {
  const authed = useAuthed(options.retry, 'queries');
  const { api, client } = authed;
  const ready = () => (gate === 'queryFn' ? untilSignedIn(client) : Promise.resolve());
  return {
    ...options,
    queryKey: authed.scope(options.queryKey),
    queryFn: (context: TContext) => ready().then(() => options.queryFn(api as TApi, context)),
    retry: authed.retry,
    ...(gate === 'enabled' && { enabled: authed.authenticated && (options.enabled ?? true) }),
  };
}
