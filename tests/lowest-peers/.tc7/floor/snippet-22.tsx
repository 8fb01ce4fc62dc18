import { createAuthClient } from '@tokenlane/react-auth';
import { authedFetch } from '@tokenlane/react-auth/fetch';

const auth = createAuthClient({ baseURL: 'https://api.example.com' });

export const publicStatus = () => auth.axios.get('/status', { tokenlane: { auth: false } });
export const probe = () => authedFetch(auth)('/api/session', { tokenlane: { refresh: false } });
