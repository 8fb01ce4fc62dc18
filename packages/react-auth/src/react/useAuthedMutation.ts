import {
  useMutation,
  type UseMutationOptions,
  type UseMutationResult,
} from '@tanstack/react-query';
import type { AxiosInstance } from 'axios';
import { useAuthed } from './useAuthed.js';

/** TanStack's `useMutation` options, with a `mutationFn` that receives the authed axios instance first. */
export interface UseAuthedMutationOptions<
  TData = unknown,
  TError = Error,
  TVariables = void,
  TContext = unknown,
> extends Omit<UseMutationOptions<TData, TError, TVariables, TContext>, 'mutationFn'> {
  mutationFn: (api: AxiosInstance, variables: TVariables) => Promise<TData>;
}

/** `useMutation` through the authed instance; a `SessionExpiredError` is never retried. */
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
    mutationFn: (variables) => options.mutationFn(authed.api, variables),
    retry: authed.retry,
  });
}
