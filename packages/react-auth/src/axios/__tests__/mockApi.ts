import { http, HttpResponse, type JsonBodyType } from 'msw';
import { setupServer } from 'msw/node';

export const BASE = 'http://api.test';
export const USER = { id: 'u1', email: 'demo@tokenlane.dev', name: 'Demo', role: 'user' };

/** A deferred gate the tests open by hand. */
export function gate() {
  let open = () => {};
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

const expired = () =>
  new HttpResponse(JSON.stringify({ error: 'invalid_token', message: 'expired' }), {
    status: 401,
    headers: {
      'Content-Type': 'application/json',
      'WWW-Authenticate': 'Bearer realm="test", error="invalid_token"',
    },
  });

/**
 * An msw model of a token server: one valid access token at a time, rotated by refresh.
 * Counts refreshes and what every request carried, for cases a real server cannot produce on
 * demand (a 401 that arrives late, a refresh that hangs, an endpoint that always says 401).
 */
export function mockApi() {
  const state = {
    valid: null as string | null,
    issued: 0,
    refreshCalls: 0,
    seen: [] as Array<{ path: string; auth: string | null }>,
    refreshGate: null as Promise<void> | null,
    slowGate: null as Promise<void> | null,
    refreshFails: null as null | 'reject' | 'network',
    bodies: [] as unknown[],
  };
  const issue = () => (state.valid = `A${state.issued++}`);
  const authorized = (request: Request) =>
    request.headers.get('Authorization') === `Bearer ${state.valid}`;
  const record = (request: Request) =>
    state.seen.push({
      path: new URL(request.url).pathname,
      auth: request.headers.get('Authorization'),
    });
  const tokenBody = (): JsonBodyType => ({
    accessToken: issue(),
    tokenType: 'Bearer',
    expiresIn: 900,
    user: USER,
  });

  const server = setupServer(
    http.post(`${BASE}/auth/login`, async ({ request }) => {
      const body = (await request.json()) as { password?: string };
      if (body.password === 'limited') {
        return HttpResponse.json(
          { error: 'rate_limited', message: 'Too many' },
          { status: 429, headers: { 'Retry-After': '42' } },
        );
      }
      if (body.password !== 'right') {
        return HttpResponse.json(
          { error: 'invalid_credentials', message: 'Email or password is incorrect' },
          { status: 401 },
        );
      }
      return HttpResponse.json(tokenBody());
    }),
    http.post(`${BASE}/auth/refresh`, async ({ request }) => {
      state.refreshCalls++;
      if (request.headers.get('X-Requested-With') === null)
        return HttpResponse.json({ error: 'csrf' }, { status: 403 });
      if (state.refreshGate) await state.refreshGate;
      if (state.refreshFails === 'network') return HttpResponse.error();
      if (state.refreshFails === 'reject') {
        return HttpResponse.json({ error: 'invalid_grant', message: 'revoked' }, { status: 401 });
      }
      return HttpResponse.json(tokenBody());
    }),
    http.post(`${BASE}/auth/logout`, () => new HttpResponse(null, { status: 204 })),
    http.get(`${BASE}/api/data`, ({ request }) => {
      record(request);
      return authorized(request) ? HttpResponse.json({ ok: true, token: state.valid }) : expired();
    }),
    http.get(`${BASE}/api/slow`, async ({ request }) => {
      record(request);
      // Judged on arrival, answered later: the 401 lands after a refresh has finished.
      const ok = authorized(request);
      if (state.slowGate) await state.slowGate;
      return ok ? HttpResponse.json({ ok: true }) : expired();
    }),
    http.get(`${BASE}/api/echo-config`, ({ request }) => {
      record(request);
      if (!authorized(request)) return expired();
      const url = new URL(request.url);
      return HttpResponse.json({
        trace: request.headers.get('X-Trace'),
        q: url.searchParams.get('q'),
      });
    }),
    http.post(`${BASE}/api/echo`, async ({ request }) => {
      record(request);
      const type = request.headers.get('Content-Type') ?? '';
      const body = type.includes('multipart/form-data')
        ? Object.fromEntries(
            [...(await request.formData()).entries()].map(([k, v]) => [
              k,
              typeof v === 'string' ? v : `file:${v.name}:${v.size}`,
            ]),
          )
        : await request.json();
      state.bodies.push(body);
      return authorized(request) ? HttpResponse.json(body as JsonBodyType) : expired();
    }),
    http.get(`${BASE}/api/admin`, ({ request }) => {
      record(request);
      return HttpResponse.json(
        { error: 'insufficient_scope', message: 'admins only' },
        { status: 403, headers: { 'WWW-Authenticate': 'Bearer error="insufficient_scope"' } },
      );
    }),
    http.get(`${BASE}/api/always-401`, ({ request }) => {
      record(request);
      return expired();
    }),
    http.get(`http://other.test/data`, ({ request }) => {
      record(request);
      return HttpResponse.json({ auth: request.headers.get('Authorization') });
    }),
    http.get(`http://cdn.test/data`, ({ request }) => {
      record(request);
      return HttpResponse.json({ auth: request.headers.get('Authorization') });
    }),
  );

  return {
    server,
    state,
    /** The server forgets the current access token, as if it expired. */
    expire: () => {
      state.valid = null;
    },
  };
}
