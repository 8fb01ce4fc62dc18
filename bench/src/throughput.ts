import { DEMO } from '@tokenlane/test-harness';
import type { ApiChild } from './apiChild.js';
import { autocannonRun as run, round } from './util.js';

const CSRF = { 'content-type': 'application/json', 'x-requested-with': 'autocannon' };
const SECONDS = 4;

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

/** The new refresh cookie (`name=value`) among raw response headers, if the answer set one. */
function rotatedCookie(rawHeaders: string[]): string | undefined {
  const at = rawHeaders.findIndex(
    (value, i) => i % 2 === 0 && value.toLowerCase() === 'set-cookie',
  );
  return at < 0 ? undefined : rawHeaders[at + 1]?.split(';')[0];
}

/** GET /api/todos per second with a valid token (32 connections); fails on any non-2xx. */
async function authedRps(url: string, accessToken: string): Promise<number> {
  const result = await run({
    url: `${url}/api/todos`,
    headers: { authorization: `Bearer ${accessToken}` },
    connections: 32,
    duration: SECONDS,
  });
  if (result.non2xx > 0 || result.errors > 0) {
    throw new Error(`GET ${url}: ${result.non2xx} non-2xx answers, ${result.errors} errors`);
  }
  return result.requests.average;
}

/**
 * Refresh rotations per second: 10 connections, each with its own session, following its rotated
 * cookie. Only a 200 that rotated (a new cookie) counts; a refusal (reuse detection) means the
 * measurement is broken, and the run fails.
 */
async function rotationsPerSecond(url: string): Promise<number> {
  const connections = 10;
  // One at a time: the API lets one client (IP) hash at most two passwords at once.
  const cookies: string[] = [];
  for (let i = 0; i < connections; i++) cookies.push((await login(url)).cookie);
  let rotations = 0;
  const refresh = await run({
    url: `${url}/auth/refresh`,
    method: 'POST',
    headers: CSRF,
    body: '{}',
    connections,
    duration: SECONDS,
    setupClient: (client) => {
      // Set on its client: autocannon resets per-request context on every loop.
      client.setHeaders({ ...CSRF, cookie: cookies.pop() ?? '' });
      // autocannon emits llhttp's header info ({ statusCode, headers: raw name/value list }),
      // not the IncomingHttpHeaders its type declarations name.
      client.on('headers', (info: object) => {
        const { statusCode, headers } = info as { statusCode: number; headers: string[] };
        const rotated = rotatedCookie(headers);
        if (statusCode !== 200 || !rotated) return;
        rotations++;
        client.setHeaders({ ...CSRF, cookie: rotated });
      });
    },
  });
  if (refresh.non2xx > 0 || refresh.errors > 0 || refresh.timeouts > 0) {
    throw new Error(
      `refresh ${url}: ${refresh.non2xx} non-2xx answers, ${refresh.errors} errors, ${refresh.timeouts} timeouts`,
    );
  }
  return rotations / refresh.duration;
}

/**
 * autocannon on loopback: GET /api/todos with a valid token versus the same app and handler with
 * Bearer verification replaced by a fixed identity (alternating rounds); then, on SQLite and on
 * Postgres in the same run, authed GETs and refresh rotations per second.
 */
export async function throughputBenchmark(api: ApiChild) {
  const session = await login(api.long);
  const urls = await api.open(session.user.id);
  const rps = { authed: 0, open: 0 };
  for (const order of [
    ['authed', 'open'],
    ['open', 'authed'],
  ] as const) {
    for (const which of order) {
      rps[which] += (await authedRps(urls[which], session.accessToken)) / 2;
    }
  }

  // Each store behind the app as shipped, measured the same way, in alternating rounds (the
  // machine's noise drifts over seconds: a store measured only first or only last would carry it).
  const sqlite = { url: api.long, get: 0, rotations: 0 };
  const postgres = { url: api.longPostgres, get: 0, rotations: 0 };
  for (const order of [
    [sqlite, postgres],
    [postgres, sqlite],
  ]) {
    for (const store of order) {
      store.get += (await authedRps(store.url, (await login(store.url)).accessToken)) / 2;
      store.rotations += (await rotationsPerSecond(store.url)) / 2;
    }
  }
  return {
    authedRps: Math.round(rps.authed),
    openRps: Math.round(rps.open),
    authedVsOpenRatio: round(rps.authed / rps.open, 3),
    refreshPerSecond: Math.round(sqlite.rotations),
    stores: {
      sqlite: { getRps: Math.round(sqlite.get), rotationsPerSecond: Math.round(sqlite.rotations) },
      postgres: {
        getRps: Math.round(postgres.get),
        rotationsPerSecond: Math.round(postgres.rotations),
      },
      getRatio: round(postgres.get / sqlite.get, 3),
      rotationsRatio: round(postgres.rotations / sqlite.rotations, 3),
    },
  };
}
