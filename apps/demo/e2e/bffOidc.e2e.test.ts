import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { createBff, oidcUpstream, type Bff, type SessionStore } from '@tokenlane/bff';
import { proxyWebSockets, toNodeHandler } from '@tokenlane/bff/node';
import { postgresStore } from '@tokenlane/bff/postgres';
import { redisStore } from '@tokenlane/bff/redis';
import { startTestPostgres, startTestRedis } from '@tokenlane/test-harness';
import { startResourceServer, type ResourceServer } from '@tokenlane/test-servers/bff';
import { startOidcProvider, type OidcServer } from '@tokenlane/test-servers/oidc';
import { startRoundRobin, type RoundRobin } from '@tokenlane/test-servers/roundRobin';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signInAtProvider } from '@tokenlane/test-servers/chromium';
import { launchChromium } from './harness.js';

// Issue 33's acceptance in Chromium: three BFF instances on Redis (and on Postgres) behind the
// test balancer, oidc-provider upstream rotating its refresh tokens with no reuse grace. One
// browser signs in by navigation, then 5 tabs fire 40 concurrent queries each across every
// access-token expiry (the BFFs' clock moves past it): one upstream refresh per rotation, no
// invalid_grant, every query answered. Then the provider's back-channel logout signs every tab out.

const CLIENT_ID = 'tokenlane-bff-e2e';
const SECRET = 'a-long-client-secret-for-the-e2e-tests-0123456789';
const TABS = 5;
const QUERIES = 40;
const ROTATIONS = 2;

interface World {
  origin: string;
  provider: OidcServer;
  resource: ResourceServer;
  balancer: RoundRobin;
  advance(ms: number): void;
  close(): Promise<void>;
}

async function startWorld(store: (now: () => number) => SessionStore): Promise<World> {
  let offset = 0;
  const now = () => Date.now() + offset;
  const balancer = await startRoundRobin([]);
  // localhost: a secure context, where Chromium keeps a Secure (__Host-) cookie over http.
  const origin = balancer.url.replace('127.0.0.1', 'localhost');
  const provider = await startOidcProvider({
    accessTokenTtlSeconds: 600,
    clients: [
      {
        client_id: CLIENT_ID,
        client_secret: SECRET,
        redirect_uris: [`${origin}/bff/callback`],
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        backchannel_logout_uri: `${balancer.url}/bff/backchannel-logout`,
        backchannel_logout_session_required: true,
      },
    ],
  });
  const resource = await startResourceServer();
  const keys = randomBytes(32).toString('base64url');
  const bffs: Bff[] = [];
  const servers: Server[] = [];
  for (let i = 0; i < 3; i++) {
    const bff = createBff({
      upstream: oidcUpstream({
        issuer: provider.issuer,
        clientId: CLIENT_ID,
        client: { secret: SECRET },
        redirectUri: `${origin}/bff/callback`,
        scope: 'openid offline_access email',
        allowInsecureRequests: true,
      }),
      store: store(now),
      keys,
      origin,
      proxy: [
        { path: '/api/me', target: `${provider.issuer}/me` },
        { path: '/api/resource', target: resource.url },
      ],
      proxyRateLimit: 100_000,
      now,
    });
    const server = createServer(toNodeHandler(bff));
    proxyWebSockets(server, bff);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    bffs.push(bff);
    servers.push(server);
  }
  balancer.setUpstreams(
    servers.map((s) => `http://127.0.0.1:${(s.address() as AddressInfo).port}`),
  );
  return {
    origin,
    provider,
    resource,
    balancer,
    advance: (ms) => void (offset += ms),
    async close() {
      await balancer.close();
      for (const server of servers) {
        server.closeAllConnections();
        await new Promise((resolve) => server.close(resolve));
      }
      await Promise.all(bffs.map((bff) => bff.close()));
      await Promise.all([provider.close(), resource.close()]);
    },
  };
}

/** 40 queries at once from a tab's JavaScript, as a page's hooks would send them. */
const fireQueries = (page: Page) =>
  page.evaluate(
    (count) =>
      Promise.all(
        Array.from({ length: count }, () =>
          fetch('/api/me', { headers: { 'X-Requested-With': 'XMLHttpRequest' } }).then(
            (answer) => answer.status,
          ),
        ),
      ),
    QUERIES,
  );

let browser: Browser;
beforeAll(async () => void (browser = await launchChromium()));
afterAll(() => browser?.close());

describe.each([
  {
    name: 'Redis',
    start: async () => {
      const redis = await startTestRedis();
      return {
        make: (now: () => number) => redisStore({ redis: redis.url, now }),
        stop: () => redis.close(),
      };
    },
  },
  {
    name: 'Postgres',
    start: async () => {
      const postgres = await startTestPostgres();
      const url = await postgres.createDatabase();
      return {
        make: (now: () => number) => postgresStore({ database: url, now }),
        stop: () => postgres.close(),
      };
    },
  },
])('three BFF instances on $name, oidc-provider upstream, in Chromium', ({ start }) => {
  let world: World;
  let stopStore: () => Promise<void>;
  let context: BrowserContext;
  beforeAll(async () => {
    const store = await start();
    stopStore = store.stop;
    world = await startWorld(store.make);
    context = await browser.newContext();
    context.setDefaultTimeout(15_000);
  });
  afterAll(async () => {
    await context?.close();
    await world?.close();
    await stopStore?.();
  });

  it(`${TABS} tabs × ${QUERIES} queries across each expiry: 1 upstream refresh per rotation, 0 invalid_grant; SSE unbuffered and a WebSocket with the token; back-channel logout signs every tab out`, async () => {
    const login = await context.newPage();
    await login.goto(`${world.origin}/bff/login?returnTo=/bff/session`);
    await signInAtProvider(login);
    await login.waitForURL(`${world.origin}/bff/session`);
    const tabs = await Promise.all(
      Array.from({ length: TABS }, async () => {
        const tab = await context.newPage();
        await tab.goto(`${world.origin}/bff/session`);
        return tab;
      }),
    );
    world.provider.reset();
    const statuses: number[] = [];
    for (let rotation = 1; rotation <= ROTATIONS; rotation++) {
      world.advance(601_000);
      for (const answers of await Promise.all(tabs.map(fireQueries))) statuses.push(...answers);
      expect(world.provider.counts.refresh, `rotation ${rotation}`).toBe(rotation);
    }
    expect(statuses).toEqual(Array(ROTATIONS * TABS * QUERIES).fill(200));
    expect(world.provider.counts.refused).toBe(0);
    expect(world.balancer.counts.byUpstream.size).toBe(3);

    // Server-Sent Events through the BFF, read by the page as they come: the upstream sends event
    // N+1 only after the page has event N (buffering anywhere would stall the stream).
    const tab = tabs[0]!;
    await tab.evaluate(() => {
      const w = window as unknown as { __events: string };
      w.__events = '';
      void fetch('/api/resource/events', {
        headers: { 'X-Requested-With': 'XMLHttpRequest' },
      }).then(async (answer) => {
        const reader = answer.body!.pipeThrough(new TextDecoderStream()).getReader();
        for (;;) {
          const { value, done } = await reader.read();
          if (done) return;
          w.__events += value;
        }
      });
    });
    const received = () => tab.evaluate(() => (window as unknown as { __events: string }).__events);
    for (let id = 1; id <= 3; id++) {
      world.resource.nextEvent();
      await expect.poll(received).toContain(`id: ${id}\ndata: event ${id}\n\n`);
      expect(await received()).not.toContain(`id: ${id + 1}`);
    }
    // A WebSocket from the page: the BFF adds the token on the upgrade.
    const first = await tab.evaluate(
      () =>
        new Promise<string>((resolve, reject) => {
          const socket = new WebSocket(`ws://${location.host}/api/resource/socket`);
          socket.onmessage = (event) => {
            resolve(String(event.data));
            socket.close();
          };
          socket.onerror = () => reject(new Error('the WebSocket failed'));
        }),
    );
    expect(JSON.parse(first)).toEqual({ authorization: 'Bearer' });
    expect(world.resource.seen.at(-1)).toMatchObject({ path: '/socket' });
    expect(world.resource.seen.at(-1)!.authorization).toMatch(/^Bearer /);

    const { user } = (await tabs[0]!.evaluate(() =>
      fetch('/bff/session', { headers: { 'X-Requested-With': 'XMLHttpRequest' } }).then((a) =>
        a.json(),
      ),
    )) as { user: { sub: string; sid: string } };
    await world.provider.backchannelLogout(CLIENT_ID, user.sub, user.sid);
    for (const tab of tabs) {
      expect(
        await tab.evaluate(() =>
          fetch('/api/me', { headers: { 'X-Requested-With': '1' } }).then((a) => a.status),
        ),
      ).toBe(401);
    }
  });
});
