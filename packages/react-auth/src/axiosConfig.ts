import type { TokenlaneRequestOptions } from '@tokenlane/core';

// Every axios config (client.axios, attached instances) takes Tokenlane's per-request flags.
declare module 'axios' {
  interface AxiosRequestConfig {
    /** Per-request control: `{ auth: false }` sends no token, `{ refresh: false }` never refreshes and retries. */
    tokenlane?: TokenlaneRequestOptions;
  }
}
