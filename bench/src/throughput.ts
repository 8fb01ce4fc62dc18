import autocannon from 'autocannon';
import { DEMO } from '@tokenlane/api/testing';
import type { ApiChild } from './apiChild.js';
import { round } from './util.js';

const CSRF = { 'content-type': 'application/json', 'x-requested-with': 'autocannon' };
const SECONDS = 4;

const run = (options: autocannon.Options) =>
  new Promise<autocannon.Result>((resolve, reject) =>
    autocannon(options, (error: unknown, result) =>
      error
        ? reject(error instanceof Error ? error : new Error('autocannon failed'))
        : resolve(result),
    ),
  );

async function login(url: string) {
  const res = await fetch(`${url}/auth/login`, {
    method: 'POST',
    headers: CSRF,
    body: JSON.stringify(DEMO),
  });
  const body = (await res.json()) as { accessToken: string; user: { id: string } };
  const cookie = res.headers.getSetCookie()[0]!.split(';')[0]!;
  return { ...body, cookie };
}

/**
 * autocannon on loopback: GET /api/todos with a valid token versus the same app and handler with
 * Bearer verification replaced by a fixed identity (alternating rounds), and refresh rotations per
 * second on SQLite (each connection keeps its own session and follows its rotated cookie).
 */
export async function throughputBenchmark(api: ApiChild) {
  const session = await login(api.long);
  const urls = await api.open(session.user.id);
  const authed = {
    url: `${urls.authed}/api/todos`,
    headers: { authorization: `Bearer ${session.accessToken}` },
  };
  const open = {
    url: `${urls.open}/api/todos`,
    headers: { authorization: `Bearer ${session.accessToken}` },
  };
  const rps = { authed: 0, open: 0 };
  for (const order of [
    ['authed', 'open'],
    ['open', 'authed'],
  ] as const) {
    for (const which of order) {
      const result = await run({
        ...(which === 'authed' ? authed : open),
        connections: 32,
        duration: SECONDS,
      });
      if (result.non2xx > 0) throw new Error(`${which}: ${result.non2xx} non-2xx answers`);
      rps[which] += result.requests.average / 2;
    }
  }

  const connections = 10;
  const cookies = await Promise.all(
    Array.from({ length: connections }, async () => (await login(api.long)).cookie),
  );
  const refresh = await run({
    url: api.long,
    connections,
    duration: SECONDS,
    requests: [
      {
        method: 'POST',
        path: '/auth/refresh',
        headers: CSRF,
        body: '{}',
        setupRequest: (request, ctx) => {
          const context = ctx as { cookie?: string };
          context.cookie ??= cookies.pop();
          return { ...request, headers: { ...request.headers, cookie: context.cookie ?? '' } };
        },
        onResponse: (_status, _body, ctx, headers) => {
          const context = ctx as { cookie?: string };
          const setCookie = headers?.['set-cookie'];
          const first = Array.isArray(setCookie) ? setCookie[0] : setCookie;
          if (first) context.cookie = first.split(';')[0];
        },
      },
    ],
  });
  return {
    authedRps: Math.round(rps.authed),
    openRps: Math.round(rps.open),
    authedVsOpenRatio: round(rps.authed / rps.open, 3),
    refreshPerSecond: Math.round(refresh.requests.average),
    refreshNon2xx: refresh.non2xx,
  };
}
