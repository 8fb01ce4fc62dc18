import {
  useSuspenseQuery,
  type QueryFunctionContext,
  type QueryKey,
  type UseSuspenseQueryOptions,
  type UseSuspenseQueryResult,
} from '@tanstack/react-query';
import type { AxiosInstance } from 'axios';
import { SessionExpiredError } from '../core/errors.js';
import { useAuthed } from './authedOptions.js';

/** TanStack's `useSuspenseQuery` options, with a `queryFn` that receives the authed axios instance first. */
export interface UseAuthedSuspenseQueryOptions<
  TQueryFnData = unknown,
  TError = Error,
  TData = TQueryFnData,
  TQueryKey extends QueryKey = QueryKey,
> extends Omit<UseSuspenseQueryOptions<TQueryFnData, TError, TData, TQueryKey>, 'queryFn'> {
  queryFn: (
    api: AxiosInstance,
    context: QueryFunctionContext<TQueryKey>,
  ) => TQueryFnData | Promise<TQueryFnData>;
}

/**
 * `useSuspenseQuery` for authenticated data. It suspends while the session is restored; signed
 * out, it throws `SessionExpiredError` to the nearest error boundary (wrap it in `<AuthGate>`).
 */
export function useAuthedSuspenseQuery<
  TQueryFnData = unknown,
  TError = Error,
  TData = TQueryFnData,
  TQueryKey extends QueryKey = QueryKey,
>(
  options: UseAuthedSuspenseQueryOptions<TQueryFnData, TError, TData, TQueryKey>,
): UseSuspenseQueryResult<TData, TError> {
  const authed = useAuthed<TError>(options.retry, 'queries');
  const { client } = authed;
  return useSuspenseQuery({
    ...options,
    queryKey: authed.scope(options.queryKey),
    queryFn: async (context) => {
      // Only reached before the session is known: wait for restore() rather than refresh alone.
      if (client.getState().status === 'loading') await client.restore();
      if (client.getState().status !== 'authenticated') throw new SessionExpiredError();
      return options.queryFn(authed.api, context);
    },
    retry: authed.retry,
  });
}
