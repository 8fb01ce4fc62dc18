import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { CSRF_HEADERS, DEMO, login, makeTestApp, ORIGIN, type TestApp } from './helpers.js';

let t: TestApp;
beforeAll(async () => {
  t = await makeTestApp();
});

const credentials = { email: DEMO.email, password: DEMO.password };

describe('CSRF on cookie-authenticated POST /auth/*', () => {
  it.each(['/auth/login', '/auth/refresh', '/auth/logout', '/auth/register'])(
    'answers 415 to text/plain on %s',
    async (path) => {
      const res = await request(t.app)
        .post(path)
        .set('X-Requested-With', 'fetch')
        .set('Content-Type', 'text/plain')
        .send(JSON.stringify(credentials))
        .expect(415);
      expect(res.body).toMatchObject({ error: 'unsupported_media_type' });
    },
  );

  it('answers 415 to a form post', async () => {
    await request(t.app)
      .post('/auth/login')
      .set('X-Requested-With', 'fetch')
      .type('form')
      .send(credentials)
      .expect(415);
  });

  it('answers 403 csrf without X-Requested-With', async () => {
    const res = await request(t.app)
      .post('/auth/refresh')
      .set('Content-Type', 'application/json')
      .send({});
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ error: 'csrf' });
  });

  it('answers 403 csrf to a foreign Origin', async () => {
    const res = await request(t.app)
      .post('/auth/login')
      .set(CSRF_HEADERS)
      .set('Origin', 'https://evil.example')
      .send(credentials)
      .expect(403);
    expect(res.body).toMatchObject({ error: 'csrf' });
  });

  it('answers 403 csrf to Sec-Fetch-Site: cross-site', async () => {
    const res = await request(t.app)
      .post('/auth/login')
      .set(CSRF_HEADERS)
      .set('Sec-Fetch-Site', 'cross-site')
      .send(credentials)
      .expect(403);
    expect(res.body).toMatchObject({ error: 'csrf' });
  });

  it('accepts an allowed Origin with Sec-Fetch-Site: same-site', async () => {
    await request(t.app)
      .post('/auth/login')
      .set(CSRF_HEADERS)
      .set('Origin', ORIGIN)
      .set('Sec-Fetch-Site', 'same-site')
      .send(credentials)
      .expect(200);
  });
});

describe('CORS', () => {
  const preflight = (origin: string) =>
    request(t.app)
      .options('/auth/refresh')
      .set('Origin', origin)
      .set('Access-Control-Request-Method', 'POST')
      .set('Access-Control-Request-Headers', 'content-type,x-requested-with');

  it('gives a foreign origin no Access-Control-Allow-Origin', async () => {
    const res = await preflight('https://evil.example');
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
    expect(res.headers['access-control-allow-credentials']).toBeUndefined();
  });

  it('gives an allowed origin its exact origin with credentials and Vary: Origin', async () => {
    const res = await preflight(ORIGIN);
    expect(res.status).toBeLessThan(300);
    expect(res.headers['access-control-allow-origin']).toBe(ORIGIN);
    expect(res.headers['access-control-allow-credentials']).toBe('true');
    expect(res.headers.vary).toMatch(/Origin/);
    expect(res.headers['access-control-allow-headers']).toMatch(/X-Requested-With/i);
    // A traced client's refresh carries its trace context across origins.
    expect(res.headers['access-control-allow-headers']).toMatch(/\btraceparent\b.*\btracestate\b/);
  });

  it('answers a simple request from an allowed origin with the CORS headers, exposing WWW-Authenticate', async () => {
    const { accessToken } = await login(t.app);
    const res = await request(t.app)
      .get('/api/todos')
      .set('Origin', ORIGIN)
      .set('Authorization', `Bearer ${accessToken}`)
      .expect(200);
    expect(res.headers['access-control-allow-origin']).toBe(ORIGIN);
    expect(res.headers.vary).toMatch(/Origin/);
    expect(res.headers['access-control-expose-headers']).toMatch(/WWW-Authenticate/);
  });

  it('never reflects a look-alike origin', async () => {
    for (const origin of ['http://localhost:5173.evil.example', 'http://localhost:51730', 'null']) {
      const res = await preflight(origin);
      expect(res.headers['access-control-allow-origin']).toBeUndefined();
    }
  });
});
