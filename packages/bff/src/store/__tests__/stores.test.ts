import { afterAll, beforeAll, describe } from 'vitest';
import {
  startTestPostgres,
  startTestRedis,
  type TestPostgres,
  type TestRedis,
} from '@tokenlane/test-harness';
import { postgresStore } from '../postgres.js';
import { redisStore } from '../redis.js';
import { sqliteStore } from '../sqlite.js';
import { storeContract } from './storeContract.js';

describe('sqliteStore', () => {
  storeContract((now) => Promise.resolve(sqliteStore({ path: ':memory:', now })));
});

describe('redisStore', () => {
  let redis: TestRedis;
  beforeAll(async () => void (redis = await startTestRedis()));
  afterAll(() => redis.close());
  storeContract((now) => Promise.resolve(redisStore({ redis: redis.url, now })));
});

describe('postgresStore', () => {
  let postgres: TestPostgres;
  let url: string;
  beforeAll(async () => {
    postgres = await startTestPostgres();
    url = await postgres.createDatabase();
  });
  afterAll(() => postgres.close());
  storeContract((now) => Promise.resolve(postgresStore({ database: url, now })));
});
