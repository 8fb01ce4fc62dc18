import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, CSRF_HEADERS, login, makeTestApp, type TestApp } from './helpers.js';

let t: TestApp;
beforeAll(async () => {
  t = await makeTestApp();
});

const authed = (token: string) => ({ Authorization: `Bearer ${token}` });

describe('session and resources', () => {
  it('logs in and answers /auth/me with the public user', async () => {
    const { accessToken } = await login(t.app);
    const me = await request(t.app).get('/auth/me').set(authed(accessToken)).expect(200);
    expect(me.body).toEqual({
      id: expect.any(String) as string,
      email: 'demo@tokenlane.dev',
      name: 'Demo User',
      role: 'user',
    });
    expect(me.body).not.toHaveProperty('passwordHash');
  });

  it('returns the token response shape', async () => {
    const res = await request(t.app)
      .post('/auth/login')
      .set(CSRF_HEADERS)
      .send({ email: 'demo@tokenlane.dev', password: 'correct-horse-battery-staple' })
      .expect(200);
    expect(res.body).toMatchObject({ tokenType: 'Bearer', expiresIn: 900, user: { role: 'user' } });
    expect((res.body as { accessToken: string }).accessToken.split('.')).toHaveLength(3);
  });

  it('runs todos CRUD on the caller own todos only', async () => {
    const demo = await login(t.app);
    const admin = await login(t.app, ADMIN);

    const created = await request(t.app)
      .post('/api/todos')
      .set(authed(demo.accessToken))
      .send({ title: '  Buy milk ' })
      .expect(201);
    const todo = created.body as { id: string; title: string; done: boolean };
    expect(todo).toMatchObject({ title: 'Buy milk', done: false });

    const patched = await request(t.app)
      .patch(`/api/todos/${todo.id}`)
      .set(authed(demo.accessToken))
      .send({ done: true })
      .expect(200);
    expect(patched.body).toMatchObject({ id: todo.id, title: 'Buy milk', done: true });

    const list = await request(t.app).get('/api/todos').set(authed(demo.accessToken)).expect(200);
    expect(list.body).toEqual([patched.body]);

    // Another user sees none of it, and the id behaves as unknown.
    const theirs = await request(t.app)
      .get('/api/todos')
      .set(authed(admin.accessToken))
      .expect(200);
    expect(theirs.body).toEqual([]);
    for (const req of [
      request(t.app).patch(`/api/todos/${todo.id}`).send({ done: false }),
      request(t.app).delete(`/api/todos/${todo.id}`),
    ]) {
      const res = await req.set(authed(admin.accessToken)).expect(404);
      expect(res.body).toMatchObject({ error: 'not_found' });
    }

    await request(t.app).delete(`/api/todos/${todo.id}`).set(authed(demo.accessToken)).expect(204);
    await request(t.app).delete(`/api/todos/${todo.id}`).set(authed(demo.accessToken)).expect(404);
    const after = await request(t.app).get('/api/todos').set(authed(demo.accessToken)).expect(200);
    expect(after.body).toEqual([]);
  });

  it('rejects bad todo bodies with invalid_request naming the field', async () => {
    const { accessToken } = await login(t.app);
    const res = await request(t.app)
      .post('/api/todos')
      .set(authed(accessToken))
      .send({ title: 42 })
      .expect(400);
    expect(res.body).toMatchObject({ error: 'invalid_request' });
    expect((res.body as { message: string }).message).toContain('title');
  });

  it('answers 403 insufficient_scope on the admin route for a plain user and 200 for the admin', async () => {
    const demo = await login(t.app);
    const denied = await request(t.app)
      .get('/api/admin/stats')
      .set(authed(demo.accessToken))
      .expect(403);
    expect(denied.body).toMatchObject({ error: 'insufficient_scope' });
    expect(denied.headers['www-authenticate']).toBe(
      'Bearer realm="tokenlane", error="insufficient_scope"',
    );

    const admin = await login(t.app, ADMIN);
    const stats = await request(t.app)
      .get('/api/admin/stats')
      .set(authed(admin.accessToken))
      .expect(200);
    expect(stats.body).toMatchObject({ users: 2, todos: expect.any(Number) as number });
  });

  it('answers /health without auth', async () => {
    const res = await request(t.app).get('/health').expect(200);
    expect(res.body).toEqual({ status: 'ok', stores: { sqlite: 'up' } });
  });

  it('registers a new user, then refuses the same email again', async () => {
    const body = {
      email: 'New.Person@example.com',
      password: 'a-long-enough-password',
      name: 'New',
    };
    const res = await request(t.app)
      .post('/auth/register')
      .set(CSRF_HEADERS)
      .send(body)
      .expect(201);
    expect(res.body).toMatchObject({
      user: { email: 'new.person@example.com', name: 'New', role: 'user' },
    });
    const again = await request(t.app)
      .post('/auth/register')
      .set(CSRF_HEADERS)
      .send({ ...body, email: 'new.person@EXAMPLE.com' })
      .expect(409);
    expect(again.body).toMatchObject({ error: 'email_taken' });
  });

  it('refuses a short password and a bad email at registration', async () => {
    for (const body of [
      { email: 'x@example.com', password: 'short' },
      { email: 'not-an-email', password: 'a-long-enough-password' },
    ]) {
      const res = await request(t.app)
        .post('/auth/register')
        .set(CSRF_HEADERS)
        .send(body)
        .expect(400);
      expect(res.body).toMatchObject({ error: 'invalid_request' });
    }
  });
});
