import ky from 'ky';
import { ofetch } from 'ofetch';
import { createFetchClient } from '@tokenlane/react-auth/fetch';

export const auth = createFetchClient({ baseURL: 'https://api.example.com' });

export const api = ky.create({
  prefixUrl: 'https://api.example.com',
  fetch: auth.fetch,
  retry: { limit: 2, statusCodes: [408, 429, 500, 502, 503, 504] },
});

export const $api = ofetch.create(
  {
    baseURL: 'https://api.example.com',
    retry: 1,
    retryStatusCodes: [408, 429, 500, 502, 503, 504],
  },
  { fetch: auth.fetch },
);

export const todos = () => api.get('api/todos').json<Array<{ id: number; title: string }>>();
export const sameTodos = () => $api<Array<{ id: number; title: string }>>('/api/todos');
