import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { login, makeTestApp, type TestApp } from './helpers.js';

let t: TestApp;
let token: string;
beforeAll(async () => {
  t = await makeTestApp({ todoQuota: 130 });
  token = (await login(t.app)).accessToken;
  for (let i = 0; i < 130; i++) {
    await request(t.app)
      .post('/api/todos')
      .set('Authorization', `Bearer ${token}`)
      .send({ title: `todo ${i}` })
      .expect(201);
  }
});

const get = (path: string) => request(t.app).get(path).set('Authorization', `Bearer ${token}`);
const nextLink = (res: request.Response) =>
  /<([^>]+)>; rel="next"/.exec(String(res.headers.link ?? ''))?.[1];

describe('todo lists are paginated', () => {
  it('answers at most 100 by default, with a Link to the next page, and every todo exactly once', async () => {
    const first = await get('/api/todos').expect(200);
    expect(first.body).toHaveLength(100);
    const next = nextLink(first);
    expect(next).toMatch(/^\/api\/todos\?limit=100&cursor=/);
    const second = await get(next!).expect(200);
    expect(second.body).toHaveLength(30);
    expect(nextLink(second)).toBeUndefined();
    const titles = [
      ...(first.body as Array<{ title: string }>),
      ...(second.body as Array<{ title: string }>),
    ].map((todo) => todo.title);
    expect(titles).toEqual(Array.from({ length: 130 }, (_, i) => `todo ${i}`));
  });

  it('honours a smaller limit and refuses a larger one or a forged cursor', async () => {
    const page = await get('/api/todos?limit=7').expect(200);
    expect(page.body).toHaveLength(7);
    expect(nextLink(page)).toContain('limit=7');
    for (const bad of ['limit=101', 'limit=0', 'limit=x', 'cursor=bm90LWEtY3Vyc29y']) {
      const res = await get(`/api/todos?${bad}`);
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ error: 'invalid_request' });
    }
  });
});

describe('the todo quota', () => {
  it('refuses a todo past the quota with 403 quota_exceeded, and allows one again after a delete', async () => {
    const full = await request(t.app)
      .post('/api/todos')
      .set('Authorization', `Bearer ${token}`)
      .send({ title: 'one too many' });
    expect(full.status).toBe(403);
    expect(full.body).toMatchObject({ error: 'quota_exceeded' });
    const [oldest] = (await get('/api/todos?limit=1').expect(200)).body as Array<{ id: string }>;
    await request(t.app)
      .delete(`/api/todos/${oldest!.id}`)
      .set('Authorization', `Bearer ${token}`)
      .expect(204);
    await request(t.app)
      .post('/api/todos')
      .set('Authorization', `Bearer ${token}`)
      .send({ title: 'fits again' })
      .expect(201);
  });
});
