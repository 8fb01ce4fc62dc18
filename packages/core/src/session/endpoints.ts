/** Paths of the three auth endpoints, relative to `baseURL`. */
export interface AuthEndpoints {
  /** @default '/auth/login' */
  login: string;
  /** @default '/auth/refresh' */
  refresh: string;
  /** @default '/auth/logout' */
  logout: string;
}

export const DEFAULT_ENDPOINTS: AuthEndpoints = {
  login: '/auth/login',
  refresh: '/auth/refresh',
  logout: '/auth/logout',
};
