import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp, DEMO_USERS, loadConfig, openSqliteStores, seedDemoUsers } from '@tokenlane/api';
import { HttpCookieAgent } from 'http-cookie-agent/http';
import { CookieJar } from 'tough-cookie';

export const DEMO: { email: string; password: string } = DEMO_USERS[0]!;

/** What the server saw, counted outside the app. */
export interface Counts {
  refresh: number;
  /** 401 answers on /api/*. */
  unauthorized: number;
  api: number;
}

/**
 * The real `@tokenlane/api` on a loopback port, with a temporary SQLite file and a short
 * access-token lifetime. It can be stopped and started again on the same port.
 */
export async function startRealApi({ accessTokenTtl = 2 } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'tokenlane-it-'));
  const config = loadConfig({
    DATABASE_PATH: join(dir, 'tokenlane.db'),
    ACCESS_TOKEN_TTL: String(accessTokenTtl),
    LOG_LEVEL: 'silent',
    LOGIN_RATE_LIMIT: '1000',
  });
  const stores = openSqliteStores(config.databasePath);
  await seedDemoUsers(stores.users);
  const app = createApp(config, stores);
  const counts: Counts = { refresh: 0, unauthorized: 0, api: 0 };

  let server: Server | undefined;
  let port = 0;
  const listen = () =>
    new Promise<void>((resolve) => {
      server = createServer((req, res) => {
        const url = req.url ?? '';
        if (req.method === 'POST' && url.startsWith('/auth/refresh')) counts.refresh++;
        if (url.startsWith('/api/')) {
          counts.api++;
          res.on('finish', () => {
            if (res.statusCode === 401) counts.unauthorized++;
          });
        }
        app(req, res);
      });
      server.listen(port, '127.0.0.1', () => {
        port = (server!.address() as AddressInfo).port;
        resolve();
      });
    });
  const stop = () =>
    new Promise<void>((resolve) => {
      if (!server) return resolve();
      server.close(() => resolve());
      server.closeAllConnections();
      server = undefined;
    });

  await listen();
  return {
    url: `http://127.0.0.1:${port}`,
    counts,
    reset: () => Object.assign(counts, { refresh: 0, unauthorized: 0, api: 0 }),
    stop,
    start: listen,
    async close() {
      await stop();
      await stores.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Axios config with a cookie jar, as a Node app plugs one in through `http`. */
export function withCookieJar(jar = new CookieJar()) {
  // http-cookie-agent's types name tough-cookie's CommonJS declarations; the class is the same.
  const cookies = { jar } as unknown as ConstructorParameters<typeof HttpCookieAgent>[0]['cookies'];
  return { jar, http: { httpAgent: new HttpCookieAgent({ cookies }) } };
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
