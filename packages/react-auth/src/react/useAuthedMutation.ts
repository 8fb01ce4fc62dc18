import {
  useMutation,
  type UseMutationOptions,
  type UseMutationResult,
} from '@tanstack/react-query';
import type { RegisteredApi } from './registeredApi.js';
import { useAuthed } from './useAuthed.js';

/** TanStack's `useMutation` options, with a `mutationFn` that receives the client's `api` (`RegisteredApi`) first. */
export interface UseAuthedMutationOptions<
  TData = unknown,
  TError = Error,
  TVariables = void,
  TContext = unknown,
> extends Omit<UseMutationOptions<TData, TError, TVariables, TContext>, 'mutationFn'> {
  mutationFn: (api: RegisteredApi, variables: TVariables) => Promise<TData>;
}

/** `useMutation` through the client's `api`; a `SessionExpiredError` is never retried. */
export function useAuthedMutation<
  TData = unknown,
  TError = Error,
  TVariables = void,
  TContext = unknown,
>(
  options: UseAuthedMutationOptions<TData, TError, TVariables, TContext>,
): UseMutationResult<TData, TError, TVariables, TContext> {
  const authed = useAuthed<TError>(options.retry, 'mutations');
  return useMutation({
    ...options,
    mutationFn: (variables) => options.mutationFn(authed.api as RegisteredApi, variables),
    retry: authed.retry,
  });
}
