import { createFetchClient } from '@tokenlane/react-auth/fetch';
import { bodyTokenServer } from '@tokenlane/react-auth/profiles';

export const auth = createFetchClient({
  baseURL: 'https://api.example.com',
  server: bodyTokenServer<{ username: string }, { username: string; password: string }>({
    login: '/api/token/',
    refresh: '/api/token/refresh/',
    expiredStatus: [401],
  }),
  // Opt-in: survive a reload. Any script on the page can read localStorage (XSS).
  storage: localStorage,
});

export const signIn = () => auth.login({ username: 'ada', password: 'secret' });
