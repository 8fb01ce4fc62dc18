import { createAuthClient } from '@tokenlane/react-auth';
import { authedFetch } from '@tokenlane/react-auth/fetch';

const auth = createAuthClient({ baseURL: 'https://api.example.com' });

// One refresh for both after expiry: they share the session.
export const both = () =>
  Promise.all([auth.axios.get('/api/todos'), authedFetch(auth)('/api/todos')]);
