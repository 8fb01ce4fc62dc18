import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../config.js';

const dir = mkdtempSync(join(tmpdir(), 'tokenlane-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('loadConfig', () => {
  it('applies the documented defaults', () => {
    const config = loadConfig({ DATABASE_PATH: ':memory:' });
    expect(config).toMatchObject({
      env: 'development',
      port: 4000,
      host: '127.0.0.1',
      accessTokenTtlSeconds: 900,
      refreshTokenTtlSeconds: 1_209_600,
      refreshReuseGraceSeconds: Number.POSITIVE_INFINITY,
      clockToleranceSeconds: 60,
      corsOrigins: ['http://localhost:5173', 'http://127.0.0.1:5173'],
      loginRateLimit: 5,
      loginIpRateLimit: 20,
      loginAccountRateLimit: 10,
      registerRateLimit: 10,
      hashConcurrency: 3,
      hashQueue: 16,
      hashPerClient: 2,
      trustProxy: false,
      requestTimeoutSeconds: 15,
      todoQuota: 1_000,
    });
    expect(config.jwtSecrets).toHaveLength(1);
    expect(Buffer.from(config.jwtSecrets[0]!, 'base64url')).toHaveLength(32);
  });

  it.each([
    ['unused', Number.POSITIVE_INFINITY],
    ['10', 10],
    ['0', 0],
  ])('reads REFRESH_REUSE_GRACE=%s', (value, expected) => {
    expect(
      loadConfig({ DATABASE_PATH: ':memory:', REFRESH_REUSE_GRACE: value })
        .refreshReuseGraceSeconds,
    ).toBe(expected);
  });

  it.each([
    ['true', true],
    ['false', false],
    ['1', 1],
    ['loopback, 10.0.0.0/8', 'loopback, 10.0.0.0/8'],
  ])('reads TRUST_PROXY=%s', (value, expected) => {
    expect(loadConfig({ DATABASE_PATH: ':memory:', TRUST_PROXY: value }).trustProxy).toEqual(
      expected,
    );
  });

  it('persists the development secret beside the database', () => {
    const path = join(dir, 'nested', 'db.sqlite');
    const first = loadConfig({ DATABASE_PATH: path });
    expect(loadConfig({ DATABASE_PATH: path }).jwtSecrets).toEqual(first.jwtSecrets);
    expect(readFileSync(join(dir, 'nested', 'jwt-secret'), 'utf8')).toBe(first.jwtSecrets[0]);
  });

  it('uses JWT_SECRET when given and parses lists and numbers', () => {
    const config = loadConfig({
      JWT_SECRET: 'x'.repeat(32),
      ACCESS_TOKEN_TTL: '5',
      CORS_ORIGINS: ' https://app.example.com/ , http://localhost:3000 ',
      NODE_ENV: 'production',
    });
    expect(config.jwtSecrets).toEqual(['x'.repeat(32)]);
    expect(config.accessTokenTtlSeconds).toBe(5);
    expect(config.corsOrigins).toEqual(['https://app.example.com', 'http://localhost:3000']);
  });

  it('reads JWT_SECRETS as a list, the first one signing, and prefers it to JWT_SECRET', () => {
    const config = loadConfig({
      DATABASE_PATH: ':memory:',
      JWT_SECRET: 's'.repeat(32),
      JWT_SECRETS: ` ${'n'.repeat(32)} , ${'o'.repeat(32)} `,
    });
    expect(config.jwtSecrets).toEqual(['n'.repeat(32), 'o'.repeat(32)]);
  });

  it.each([
    [{ JWT_SECRETS: `${'n'.repeat(32)},short` }, 'JWT_SECRETS'],
    [{ JWT_SECRETS: ' , ' }, 'JWT_SECRETS'],
    [{ ACCESS_TOKEN_TTL: 'abc' }, 'ACCESS_TOKEN_TTL'],
    [{ ACCESS_TOKEN_TTL: '0' }, 'ACCESS_TOKEN_TTL'],
    [{ REFRESH_REUSE_GRACE: '-1' }, 'REFRESH_REUSE_GRACE'],
    [{ REFRESH_REUSE_GRACE: 'forever' }, 'REFRESH_REUSE_GRACE'],
    [{ CLOCK_TOLERANCE: '-1' }, 'CLOCK_TOLERANCE'],
    [{ LOGIN_RATE_LIMIT: '1.5' }, 'LOGIN_RATE_LIMIT'],
    [{ REDIS_URL: 'http://example.com' }, 'REDIS_URL'],
    [{ NODE_ENV: 'staging' }, 'NODE_ENV'],
    [{ NODE_ENV: 'production' }, 'JWT_SECRET'],
  ])('rejects %j naming %s', (env, name) => {
    expect(() => loadConfig({ DATABASE_PATH: ':memory:', ...env })).toThrow(ConfigError);
    expect(() => loadConfig({ DATABASE_PATH: ':memory:', ...env })).toThrow(name);
  });
});
