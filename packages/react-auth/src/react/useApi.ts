import type { AxiosInstance } from 'axios';
import { useAuthClient } from './AuthContext.js';

/** The authed axios instance (`client.axios`): Bearer token, transparent refresh, retry once. */
export function useApi(): AxiosInstance {
  return useAuthClient().axios;
}
