import { http, HttpResponse, type JsonBodyType } from 'msw';
import { setupServer } from 'msw/node';

/** Where the mock API lives. */
export const BASE = 'http://api.test';

/** The users the mock API knows; any password but `wrong` (and `limited`) signs in. */
export const USERS = {
  'demo@tokenlane.dev': { id: 'u1', email: 'demo@tokenlane.dev', name: 'Demo', role: 'user' },
  'ada@example.com': { id: 'ada', email: 'ada@example.com', name: 'Ada', role: 'user' },
  'bob@example.com': { id: 'bob', email: 'bob@example.com', name: 'Bob', role: 'user' },
};
type Email = keyof typeof USERS;
export const USER = USERS['demo@tokenlane.dev'];

const TODOS: Record<string, Array<{ id: string; title: string }>> = {
  u1: [{ id: 'd1', title: 'Demo: try Tokenlane' }],
  ada: [{ id: 'a1', title: 'Ada: analytical engine' }],
  bob: [{ id: 'b1', title: 'Bob: build a house' }],
};

/** A deferred gate the tests open by hand. */
export function gate() {
  let open = () => {};
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

const expired = () =>
  HttpResponse.json(
    { error: 'invalid_token', message: 'expired' },
    {
      status: 401,
      headers: { 'WWW-Authenticate': 'Bearer realm="test", error="invalid_token"' },
    },
  );

const initialState = () => ({
  /** Live access tokens (`A0`, `A1`, ...) and whose they are: one per user at a time. */
  tokens: new Map<string, Email>(),
  /** Whose refresh cookie the browser holds; `null` once logged out or revoked. */
  sessionUser: null as Email | null,
  issued: 0,
  refreshCalls: 0,
  todoFetches: 0,
  pageFetches: 0,
  /** Every request to an `/api` route: its path and Authorization header. */
  seen: [] as Array<{ path: string; auth: string | null }>,
  bodies: [] as unknown[],
  /** What `/api/raw` received, byte for byte (as text), with its Content-Type. */
  raw: [] as Array<{ type: string | null; body: string }>,
  refreshGate: null as Promise<void> | null,
  slowGate: null as Promise<void> | null,
  refreshFails: null as null | 'reject' | 'network',
  /** How many of the next `/api/balanced` requests one instance refuses, whatever their token. */
  refusing: 0,
  /** `/api/step-up` takes tokens issued from this one on (`A<n>`): older ones need a new sign-in. */
  recentFrom: 0,
});

/**
 * An msw model of a token server, shared by the adapter and React unit tests: per-user tokens,
 * a refresh cookie modelled as "the last user who signed in", counters, and knobs for what a real
 * server cannot do on demand (a 401 that arrives late, a refresh that hangs or fails).
 */
export function mockApi() {
  const state = initialState();
  const issue = (email: Email): JsonBodyType => {
    const token = `A${state.issued++}`;
    for (const [live, owner] of state.tokens) if (owner === email) state.tokens.delete(live);
    state.tokens.set(token, email);
    return { accessToken: token, tokenType: 'Bearer', expiresIn: 900, user: USERS[email] };
  };
  const caller = (request: Request) => {
    const token = request.headers.get('Authorization')?.replace(/^Bearer /, '') ?? '';
    const email = state.tokens.get(token);
    return email && USERS[email];
  };
  const record = (request: Request) =>
    state.seen.push({
      path: new URL(request.url).pathname,
      auth: request.headers.get('Authorization'),
    });
  const readBody = async (request: Request): Promise<unknown> => {
    if (!(request.headers.get('Content-Type') ?? '').includes('multipart/form-data')) {
      return request.json();
    }
    const entries = [...(await request.formData()).entries()];
    return Object.fromEntries(
      entries.map(([k, v]) => [k, typeof v === 'string' ? v : `file:${v.name}:${v.size}`]),
    );
  };

  const server = setupServer(
    http.post(`${BASE}/auth/login`, async ({ request }) => {
      const { email, password } = (await request.json()) as { email: Email; password: string };
      if (password === 'limited') {
        return HttpResponse.json(
          { error: 'rate_limited', message: 'Too many' },
          { status: 429, headers: { 'Retry-After': '42' } },
        );
      }
      if (password === 'wrong' || !(email in USERS)) {
        return HttpResponse.json(
          { error: 'invalid_credentials', message: 'Email or password is incorrect' },
          { status: 401 },
        );
      }
      state.sessionUser = email;
      return HttpResponse.json(issue(email));
    }),
    http.post(`${BASE}/auth/refresh`, async ({ request }) => {
      state.refreshCalls++;
      if (request.headers.get('X-Requested-With') === null)
        return HttpResponse.json({ error: 'csrf' }, { status: 403 });
      if (state.refreshGate) await state.refreshGate;
      if (state.refreshFails === 'network') return HttpResponse.error();
      if (state.refreshFails === 'reject' || !state.sessionUser) {
        return HttpResponse.json({ error: 'invalid_grant', message: 'revoked' }, { status: 401 });
      }
      return HttpResponse.json(issue(state.sessionUser));
    }),
    http.post(`${BASE}/auth/logout`, () => {
      state.sessionUser = null;
      return new HttpResponse(null, { status: 204 });
    }),
    http.all(`${BASE}/api/*`, ({ request }) => void record(request)),
    http.get(`${BASE}/api/data`, ({ request }) => {
      const user = caller(request);
      return user
        ? HttpResponse.json({ ok: true, token: request.headers.get('Authorization') })
        : expired();
    }),
    http.get(`${BASE}/api/slow`, async ({ request }) => {
      // Judged on arrival, answered later: the 401 lands after a refresh has finished.
      const user = caller(request);
      if (state.slowGate) await state.slowGate;
      return user ? HttpResponse.json({ ok: true }) : expired();
    }),
    http.get(`${BASE}/api/echo-config`, ({ request }) => {
      if (!caller(request)) return expired();
      const url = new URL(request.url);
      return HttpResponse.json({
        trace: request.headers.get('X-Trace'),
        q: url.searchParams.get('q'),
      });
    }),
    http.post(`${BASE}/api/echo`, async ({ request }) => {
      const body = await readBody(request);
      state.bodies.push(body);
      return caller(request) ? HttpResponse.json(body as JsonBodyType) : expired();
    }),
    http.post(`${BASE}/api/raw`, async ({ request }) => {
      state.raw.push({ type: request.headers.get('Content-Type'), body: await request.text() });
      return caller(request) ? HttpResponse.json({ ok: true }) : expired();
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
    http.get(`${BASE}/api/headers`, ({ request }) =>
      HttpResponse.json({ auth: request.headers.get('Authorization') }),
    ),
    http.get(`${BASE}/api/admin`, () =>
      HttpResponse.json(
        { error: 'insufficient_scope', message: 'admins only' },
        { status: 403, headers: { 'WWW-Authenticate': 'Bearer error="insufficient_scope"' } },
      ),
    ),
    http.get(`${BASE}/api/always-401`, () => expired()),
    http.get(`${BASE}/api/broken`, () => HttpResponse.error()),
    // Step-up (RFC 9470): a token from before `recentFrom` is answered as too old a sign-in.
    http.get(`${BASE}/api/step-up`, ({ request }) => {
      const token = request.headers.get('Authorization')?.replace(/^Bearer /, '') ?? '';
      if (!caller(request)) return expired();
      return Number(token.slice(1)) >= state.recentFrom
        ? HttpResponse.json({ ok: true, token })
        : HttpResponse.json(
            { error: 'insufficient_user_authentication', message: 'sign in again' },
            {
              status: 401,
              headers: {
                'WWW-Authenticate': 'Bearer error="insufficient_user_authentication", max_age="60"',
              },
            },
          );
    }),
    // Behind a balancer: one instance refuses what the others accept (a clock far off, a key not
    // yet deployed there).
    http.get(`${BASE}/api/balanced`, ({ request }) => {
      if (state.refusing > 0) {
        state.refusing--;
        return expired();
      }
      return caller(request) ? HttpResponse.json({ ok: true }) : expired();
    }),
    ...['http://other.test/data', 'http://cdn.test/data'].map((url) =>
      http.get(url, ({ request }) => {
        record(request);
        return HttpResponse.json({ auth: request.headers.get('Authorization') });
      }),
    ),
  );

  return {
    server,
    state,
    /** Every access token stops working, as after expiry. */
    expire: () => state.tokens.clear(),
    /** The refresh cookie is gone (revoked family), and with it every access token. */
    revokeSession() {
      state.sessionUser = null;
      state.tokens.clear();
    },
    /** Back to a server that has seen nothing. */
    reset: () => Object.assign(state, initialState()),
  };
}
