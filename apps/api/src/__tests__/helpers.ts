import type { Express } from 'express';
import { Writable } from 'node:stream';
import request, { type Response } from 'supertest';
import { createApp } from '../app.js';
import { loadConfig, type Config } from '../config.js';
import { createLogger } from '../logger.js';
import { hashPassword } from '../services/passwords.js';
import { DEMO_USERS } from '../seed.js';
import { openSqliteStores } from '../store/sqlite/index.js';
import type { Stores } from '../store/types.js';

export const DEMO = DEMO_USERS[0]!;
export const ADMIN = DEMO_USERS[1]!;
export const ORIGIN = 'http://localhost:5173';
/** The headers a legitimate browser client sends on `POST /auth/*`. */
export const CSRF_HEADERS = { 'Content-Type': 'application/json', 'X-Requested-With': 'fetch' };

/** The documented defaults (as `loadConfig` reads them), on an in-memory database, silent. */
export function testConfig(overrides: Partial<Config> = {}): Config {
  return {
    ...loadConfig({
      NODE_ENV: 'test',
      PORT: '0',
      DATABASE_PATH: ':memory:',
      JWT_SECRET: 'test-secret-test-secret-test-secret-0123',
      LOG_LEVEL: 'silent',
    }),
    ...overrides,
  };
}

// scrypt costs ~0.35 s per hash: hash the demo passwords once per test file.
let hashes: Promise<string[]> | undefined;

/** Seeds the demo users (plus a second plain user) with the real password hashes. */
async function seed(stores: Stores): Promise<void> {
  hashes ??= Promise.all(DEMO_USERS.map((user) => hashPassword(user.password)));
  const resolved = await hashes;
  for (const [index, { password: _password, ...user }] of DEMO_USERS.entries()) {
    await stores.users.create({ ...user, passwordHash: resolved[index]! });
  }
}

export interface TestApp {
  app: Express;
  stores: Stores;
  config: Config;
  /** Moves the app's clock forward. */
  advance(ms: number): void;
  /** Everything the app logged, as one string. */
  logs(): string;
}

export async function makeTestApp(
  overrides: Partial<Config> = {},
  extra: Pick<Stores, 'limiters'> = {},
): Promise<TestApp> {
  const config = testConfig(overrides);
  const stores: Stores = { ...openSqliteStores(config.databasePath), ...extra };
  await seed(stores);
  let offset = 0;
  let logged = '';
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logged += chunk.toString();
      done();
    },
  });
  const logger = createLogger(overrides.logLevel ?? 'info', sink);
  const app = createApp(config, stores, { logger, now: () => Date.now() + offset });
  return {
    app,
    stores,
    config,
    advance: (ms) => {
      offset += ms;
    },
    logs: () => logged,
  };
}

/** The `tokenlane_rt` value a response set, if any. */
export function refreshCookie(res: Response): string | undefined {
  const header = cookies(res).find((cookie) => cookie.startsWith('tokenlane_rt='));
  return header?.split(';')[0]?.slice('tokenlane_rt='.length);
}

export function cookies(res: Response): string[] {
  const header = res.headers['set-cookie'] as string[] | string | undefined;
  return header === undefined ? [] : Array.isArray(header) ? header : [header];
}

export interface Session {
  accessToken: string;
  refreshToken: string;
  userId: string;
}

export async function login(
  app: Express,
  user: { email: string; password: string } = DEMO,
): Promise<Session> {
  const res = await request(app)
    .post('/auth/login')
    .set(CSRF_HEADERS)
    .send({ email: user.email, password: user.password })
    .expect(200);
  const body = res.body as { accessToken: string; user: { id: string } };
  return { accessToken: body.accessToken, refreshToken: refreshCookie(res)!, userId: body.user.id };
}

export function refresh(app: Express, refreshToken: string) {
  return request(app)
    .post('/auth/refresh')
    .set(CSRF_HEADERS)
    .set('Cookie', `tokenlane_rt=${refreshToken}`)
    .send({});
}
