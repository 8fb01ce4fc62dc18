import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';

export const BASE = 'http://api.test';

const USERS = {
  'ada@example.com': { id: 'ada', email: 'ada@example.com', name: 'Ada', role: 'user' },
  'bob@example.com': { id: 'bob', email: 'bob@example.com', name: 'Bob', role: 'user' },
};
type Email = keyof typeof USERS;

const TODOS: Record<string, Array<{ id: string; title: string }>> = {
  ada: [{ id: 'a1', title: 'Ada: analytical engine' }],
  bob: [{ id: 'b1', title: 'Bob: build a house' }],
};

/**
 * A token server model for React tests: per-user tokens, one live token per session, a refresh
 * cookie modelled as "the last logged-in user", counters for refreshes and data fetches.
 */
export function mockServer() {
  const state = {
    tokens: new Map<string, Email>(),
    sessionUser: null as Email | null,
    issued: 0,
    refreshCalls: 0,
    todoFetches: 0,
    pageFetches: 0,
  };
  const issue = (email: Email) => {
    const token = `tok-${USERS[email].id}-${state.issued++}`;
    for (const [t, e] of state.tokens) if (e === email) state.tokens.delete(t);
    state.tokens.set(token, email);
    return HttpResponse.json({
      accessToken: token,
      tokenType: 'Bearer',
      expiresIn: 900,
      user: USERS[email],
    });
  };
  const caller = (request: Request) => {
    const token = request.headers.get('Authorization')?.replace(/^Bearer /, '') ?? '';
    const email = state.tokens.get(token);
    return email ? USERS[email] : undefined;
  };
  const expired = () =>
    HttpResponse.json(
      { error: 'invalid_token', message: 'expired' },
      { status: 401, headers: { 'WWW-Authenticate': 'Bearer error="invalid_token"' } },
    );

  const server = setupServer(
    http.post(`${BASE}/auth/login`, async ({ request }) => {
      const { email } = (await request.json()) as { email: Email };
      state.sessionUser = email;
      return issue(email);
    }),
    http.post(`${BASE}/auth/refresh`, () => {
      state.refreshCalls++;
      if (!state.sessionUser)
        return HttpResponse.json(
          { error: 'invalid_grant', message: 'no session' },
          { status: 401 },
        );
      return issue(state.sessionUser);
    }),
    http.post(`${BASE}/auth/logout`, () => {
      state.sessionUser = null;
      return new HttpResponse(null, { status: 204 });
    }),
    http.get(`${BASE}/api/todos`, ({ request }) => {
      state.todoFetches++;
      const user = caller(request);
      return user ? HttpResponse.json(TODOS[user.id]) : expired();
    }),
    http.get(`${BASE}/api/pages`, ({ request }) => {
      state.pageFetches++;
      if (!caller(request)) return expired();
      const page = Number(new URL(request.url).searchParams.get('page') ?? 0);
      return HttpResponse.json({
        items: [`item-${page * 2}`, `item-${page * 2 + 1}`],
        next: page < 2 ? page + 1 : null,
      });
    }),
  );

  return {
    server,
    state,
    /** Every access token stops working, as after expiry. */
    expireTokens: () => state.tokens.clear(),
    /** The refresh cookie is gone (revoked family). */
    revokeSession: () => {
      state.sessionUser = null;
      state.tokens.clear();
    },
    reset() {
      state.tokens.clear();
      Object.assign(state, {
        sessionUser: null,
        issued: 0,
        refreshCalls: 0,
        todoFetches: 0,
        pageFetches: 0,
      });
    },
  };
}
