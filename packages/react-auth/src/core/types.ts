/** Where the session stands. `loading` lasts until the first `restore()` settles. */
export type AuthStatus = 'loading' | 'authenticated' | 'unauthenticated';

/** The user as Tokenlane's API describes it; pass your own type to `createAuthClient<TUser>()`. */
export interface AuthUser {
  id: string;
  email: string;
  name: string;
  role: string;
}

/** The session as components see it. The access token is not part of it: see `getAccessToken()`. */
export interface AuthState<TUser = AuthUser> {
  status: AuthStatus;
  user: TUser | null;
  /** When the access token expires, epoch milliseconds on this machine's clock; `null` when unknown. */
  expiresAt: number | null;
}

/** What a login or refresh response yields once parsed. */
export interface TokenSet<TUser = AuthUser> {
  accessToken: string;
  /** Lifetime in seconds; when missing, the token's `exp` and `iat` claims are used. */
  expiresIn?: number | undefined;
  user?: TUser | null | undefined;
}

/** The body sent to the login endpoint. */
export interface LoginCredentials {
  email: string;
  password: string;
}

/** The three calls the session makes to the server; the axios adapter provides them. */
export interface AuthTransport<TUser = AuthUser> {
  login(credentials: LoginCredentials): Promise<TokenSet<TUser>>;
  refresh(): Promise<TokenSet<TUser>>;
  logout(): Promise<void>;
}

/** Why a refresh started. */
export type RefreshReason = 'restore' | 'scheduled' | 'expired' | 'rejected' | 'manual';

/** Event names and their payloads, for `client.on(event, listener)`. */
export interface AuthEvents<TUser = AuthUser> {
  'refresh:start': { reason: RefreshReason };
  'refresh:success': { reason: RefreshReason; expiresAt: number | null };
  'refresh:failure': { reason: RefreshReason; error: Error };
  login: { user: TUser | null };
  /** `remote` is true when another tab logged out. */
  logout: { remote: boolean };
  'session-expired': { error: Error };
}
