import { createAuthClient } from '@tokenlane/react-auth';
import { cookieServer } from '@tokenlane/react-auth/profiles';

export const auth = createAuthClient({
  server: cookieServer({
    login: '/api/user/login',
    refresh: '/api/user/refresh_token',
    logout: '/api/user/logout',
    scheme: 'raw',
    expiredStatus: [403],
  }),
});
