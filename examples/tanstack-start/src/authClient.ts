import { bffServer, createFetchClient, type AuthedFetch } from '@tokenlane/react-auth/fetch';

/** The user as the BFF's check-session endpoint describes it (the provider's claims). */
export interface Claims {
  sub: string;
  email?: string;
}

declare module '@tokenlane/react-auth/fetch' {
  interface Register {
    user: Claims;
    api: AuthedFetch;
  }
}

/**
 * The page's client, on the BFF: it holds a session mark, never a token. On the server it is
 * created too (the module is shared) and never signed in: `<AuthHydration>` shows the session
 * the server rendered with instead.
 */
export const client = createFetchClient({ baseURL: '/', server: bffServer() });
