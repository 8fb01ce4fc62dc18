import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config.js';
import { CSRF_HEADERS, DEMO, login, makeTestApp, refresh, refreshCookie } from './helpers.js';

// Issue 25: Prometheus-compatible metrics for operators who scrape. Off by default; with
// METRICS_TOKEN, `GET /metrics` answers in the text format behind that bearer token, counting
// logins, rotations, reuse detections, rate-limit refusals and store errors and latencies, with
// labels that never hold a token, an email or an IP.

const TOKEN = 'metrics-token-metrics-token-0123456789';
const scrape = (app: Parameters<typeof request>[0], token = TOKEN) =>
  request(app).get('/metrics').set('Authorization', `Bearer ${token}`);

/** The value of one sample line (`name{labels} value`), or undefined. */
const sample = (text: string, series: string) => {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
};

describe('GET /metrics', () => {
  it('is off by default: 404, and METRICS_TOKEN must be a real secret', async () => {
    const { app, config } = await makeTestApp();
    expect(config.metricsToken).toBeUndefined();
    const res = await scrape(app);
    expect(res.status).toBe(404);
    expect(() => loadConfig({ DATABASE_PATH: ':memory:', METRICS_TOKEN: 'short' })).toThrow(
      /METRICS_TOKEN/,
    );
  });

  it('refuses without its token, or with another, as JSON with a challenge', async () => {
    const { app } = await makeTestApp({ metricsToken: TOKEN });
    for (const res of [await request(app).get('/metrics'), await scrape(app, `${TOKEN}x`)]) {
      expect(res.status).toBe(401);
      expect(res.body).toMatchObject({ error: 'invalid_token' });
      expect(res.headers['www-authenticate']).toBe('Bearer realm="metrics"');
    }
  });

  it('counts logins, rotations, a reuse detection and rate-limit refusals, in the text format', async () => {
    const { app } = await makeTestApp({ metricsToken: TOKEN, loginRateLimit: 1 });
    const session = await login(app);
    const first = await refresh(app, session.refreshToken).expect(200);
    await refresh(app, refreshCookie(first)!).expect(200);
    // The first token again, after its child was used: reuse, the family is revoked.
    await refresh(app, session.refreshToken).expect(401);
    const wrong = { email: DEMO.email, password: 'wrong-password' };
    await request(app).post('/auth/login').set(CSRF_HEADERS).send(wrong).expect(401);
    await request(app).post('/auth/login').set(CSRF_HEADERS).send(wrong).expect(429);

    const res = await scrape(app).expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = res.text;
    expect(sample(text, 'tokenlane_logins_total{outcome="success"}')).toBe(1);
    expect(sample(text, 'tokenlane_logins_total{outcome="refused"}')).toBe(1);
    expect(sample(text, 'tokenlane_logins_total{outcome="rate_limited"}')).toBe(1);
    expect(sample(text, 'tokenlane_refresh_rotations_total{outcome="rotated"}')).toBe(2);
    expect(sample(text, 'tokenlane_refresh_rotations_total{outcome="reused"}')).toBe(1);
    expect(sample(text, 'tokenlane_refresh_reuse_detections_total')).toBe(1);
    expect(sample(text, 'tokenlane_rate_limit_refusals_total{limiter="login"}')).toBe(1);
    expect(sample(text, 'tokenlane_store_duration_seconds_count{operation="refresh.rotate"}')).toBe(
      3,
    );
    expect(sample(text, 'tokenlane_process_cpu_seconds_total')).toBeGreaterThan(0);
  });

  it('counts a failing store call by operation, and the request gets a JSON 500', async () => {
    const { app, stores } = await makeTestApp({ metricsToken: TOKEN });
    await stores.close();
    const res = await request(app)
      .post('/auth/login')
      .set(CSRF_HEADERS)
      .send({ email: DEMO.email, password: DEMO.password });
    expect(res.status).toBe(500);
    expect(res.body).toMatchObject({ error: expect.any(String) as unknown });
    const text = (await scrape(app).expect(200)).text;
    expect(sample(text, 'tokenlane_store_errors_total{operation="users.findByEmail"}')).toBe(1);
    expect(sample(text, 'tokenlane_logins_total{outcome="error"}')).toBe(1);
  });

  it('holds no token, email or IP in any label', async () => {
    const { app } = await makeTestApp({ metricsToken: TOKEN, loginRateLimit: 1 });
    const session = await login(app);
    const renewed = await refresh(app, session.refreshToken).expect(200);
    const body = renewed.body as { accessToken: string };
    const wrong = { email: 'someone@example.com', password: 'nope-nope' };
    await request(app).post('/auth/login').set(CSRF_HEADERS).send(wrong);
    await request(app).post('/auth/login').set(CSRF_HEADERS).send(wrong);
    const text = (await scrape(app).expect(200)).text;
    const secrets = [
      session.accessToken,
      session.refreshToken,
      body.accessToken,
      refreshCookie(renewed)!,
      DEMO.email,
      wrong.email,
      session.userId,
      '127.0.0.1',
      '::ffff:',
      TOKEN,
    ];
    expect(secrets.filter((secret) => text.includes(secret))).toEqual([]);
    // Every label value is one of a few fixed words or an operation name.
    const values = [...text.matchAll(/(\w+)="([^"]*)"/g)].map(
      ([, name, value]) => `${name}=${value}`,
    );
    for (const value of values) {
      expect(value).toMatch(
        /^(outcome|limiter|operation|le|version|type|space|kind|major|minor|patch)=[\w.+-]*$/,
      );
    }
  });
});
