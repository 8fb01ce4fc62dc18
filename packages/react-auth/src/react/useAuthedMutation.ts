import {
  useMutation,
  type UseMutationOptions,
  type UseMutationResult,
} from '@tanstack/react-query';
import { useAuthed } from './useAuthed.js';

/** TanStack's `useMutation` options, with a `mutationFn` that receives the client's request function first. */
export interface UseAuthedMutationOptionsFor<
  TApi,
  TData = unknown,
  TError = Error,
  TVariables = void,
  TContext = unknown,
> extends Omit<UseMutationOptions<TData, TError, TVariables, TContext>, 'mutationFn'> {
  mutationFn: (api: TApi, variables: TVariables) => Promise<TData>;
}

/** `useAuthedMutation` for a client whose request function is `TApi`. */
export type UseAuthedMutation<TApi> = <
  TData = unknown,
  TError = Error,
  TVariables = void,
  TContext = unknown,
>(
  options: UseAuthedMutationOptionsFor<TApi, TData, TError, TVariables, TContext>,
) => UseMutationResult<TData, TError, TVariables, TContext>;

/** `useMutation` through the client's request function; a `SessionExpiredError` is never retried. */
export function useAuthedMutation<TApi, TData, TError, TVariables, TContext>(
  options: UseAuthedMutationOptionsFor<TApi, TData, TError, TVariables, TContext>,
): UseMutationResult<TData, TError, TVariables, TContext> {
  const authed = useAuthed<TError>(options.retry, 'mutations');
  return useMutation({
    ...options,
    mutationFn: (variables) => options.mutationFn(authed.api as TApi, variables),
    retry: authed.retry,
  });
}
