import { createAuthClient, type TokenSet } from '@tokenlane/react-auth';

type LegacyUser = { id: string; login: string };

export const legacy = createAuthClient<LegacyUser>({
  baseURL: 'https://legacy.example.com',
  endpoints: { login: '/oauth/token', refresh: '/oauth/refresh', logout: '/oauth/revoke' },
  parseTokenResponse: (data): TokenSet<LegacyUser> => {
    const body = data as { access_token: string; expires_in: number; user?: LegacyUser };
    return { accessToken: body.access_token, expiresIn: body.expires_in, user: body.user ?? null };
  },
  shouldRefresh: (error) => error.response?.status === 403,
});
