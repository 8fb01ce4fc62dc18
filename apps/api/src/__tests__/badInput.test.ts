import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { CSRF_HEADERS, login, makeTestApp, type TestApp } from './helpers.js';

let t: TestApp;
let token: string;
beforeAll(async () => {
  t = await makeTestApp();
  token = (await login(t.app)).accessToken;
});

const noStack = (res: request.Response) => {
  expect(res.text).not.toMatch(/at .+\(.+:\d+:\d+\)|node_modules|\.ts:\d+/);
  expect(res.headers['x-powered-by']).toBeUndefined();
};

describe('bad input', () => {
  it('answers malformed JSON with 400 invalid_json', async () => {
    for (const path of ['/auth/login', '/api/todos']) {
      const res = await request(t.app)
        .post(path)
        .set(CSRF_HEADERS)
        .set('Authorization', `Bearer ${token}`)
        .send('{"email": "x@')
        .expect(400);
      expect(res.body).toMatchObject({ error: 'invalid_json' });
      noStack(res);
    }
  });

  it('answers a body over 16 kB with 413 payload_too_large', async () => {
    const res = await request(t.app)
      .post('/api/todos')
      .set('Authorization', `Bearer ${token}`)
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ title: 'x'.repeat(17 * 1024) }))
      .expect(413);
    expect(res.body).toMatchObject({ error: 'payload_too_large' });
    noStack(res);
  });

  it.each([
    ['/auth/login', {}, 'email'],
    ['/auth/login', { email: 'demo@tokenlane.dev' }, 'password'],
    ['/auth/login', { email: 42, password: 'x' }, 'email'],
    ['/auth/login', { email: 'demo@tokenlane.dev', password: ['a'] }, 'password'],
    ['/auth/register', { email: 'new@example.com', password: 12 }, 'password'],
    [
      '/auth/register',
      { email: 'new@example.com', password: 'long-enough-pass', name: false },
      'name',
    ],
  ])('answers POST %s %j with 400 invalid_request naming %s', async (path, body, field) => {
    const res = await request(t.app).post(path).set(CSRF_HEADERS).send(body).expect(400);
    expect(res.body).toMatchObject({ error: 'invalid_request' });
    expect((res.body as { message: string }).message).toContain(field);
    noStack(res);
  });

  it.each([
    [{}, 'title'],
    [{ title: '   ' }, 'title'],
    [{ title: 'x'.repeat(201) }, 'title'],
  ])('answers POST /api/todos %j with 400 naming %s', async (body, field) => {
    const res = await request(t.app)
      .post('/api/todos')
      .set('Authorization', `Bearer ${token}`)
      .send(body)
      .expect(400);
    expect((res.body as { message: string }).message).toContain(field);
  });

  it('answers a todo patch with a wrongly typed done, or nothing to change, with 400', async () => {
    const created = await request(t.app)
      .post('/api/todos')
      .set('Authorization', `Bearer ${token}`)
      .send({ title: 'x' })
      .expect(201);
    const id = (created.body as { id: string }).id;
    const wrong = await request(t.app)
      .patch(`/api/todos/${id}`)
      .set('Authorization', `Bearer ${token}`)
      .send({ done: 'yes' })
      .expect(400);
    expect((wrong.body as { message: string }).message).toContain('done');
    await request(t.app)
      .patch(`/api/todos/${id}`)
      .set('Authorization', `Bearer ${token}`)
      .send({})
      .expect(400);
  });

  it('answers unknown routes with 404 JSON', async () => {
    for (const [method, path] of [
      ['get', '/nope'],
      ['post', '/api/nothing'],
      ['delete', '/auth/me'],
    ] as const) {
      const res = await request(t.app)[method](path).expect(404);
      expect(res.headers['content-type']).toMatch(/application\/json/);
      expect(res.body).toMatchObject({ error: 'not_found' });
    }
  });

  it('answers a JSON body that is not an object with 400', async () => {
    const res = await request(t.app)
      .post('/auth/login')
      .set(CSRF_HEADERS)
      .send('"a string"')
      .expect(400);
    expect(['invalid_json', 'invalid_request']).toContain((res.body as { error: string }).error);
    noStack(res);
  });

  it('sets helmet headers and hides X-Powered-By', async () => {
    const res = await request(t.app).get('/health').expect(200);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-powered-by']).toBeUndefined();
  });
});
