import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { BoundedMemoryStore } from '../middleware/boundedMemoryStore.js';
import { createHashGate, BusyError } from '../services/hashGate.js';
import { CSRF_HEADERS, DEMO, makeTestApp, type TestApp } from './helpers.js';

const attempt = (t: TestApp, email: string, password: string, forwardedFor?: string) => {
  const req = request(t.app).post('/auth/login').set(CSRF_HEADERS);
  if (forwardedFor) req.set('X-Forwarded-For', forwardedFor);
  return req.send({ email, password });
};

describe('login limits', () => {
  it('validate the body before counting: a 16 kB email is 400 and leaves no counter behind', async () => {
    const stores: BoundedMemoryStore[] = [];
    const t = await makeTestApp(
      {},
      {
        limiters: () => {
          const store = new BoundedMemoryStore();
          stores.push(store);
          return store;
        },
      },
    );
    for (let i = 0; i < 20; i++) {
      await attempt(t, `${i}${'x'.repeat(16_000)}@example.com`, 'pw').expect(400);
    }
    await request(t.app)
      .post('/auth/login')
      .set(CSRF_HEADERS)
      .send({ email: 'y'.repeat(16_000) })
      .expect(400);
    expect(stores.length).toBeGreaterThanOrEqual(3);
    expect(stores.map((store) => store.size)).toEqual(stores.map(() => 0));
  });

  it('believe no X-Forwarded-For by default: rotating it does not reset the per-IP count', async () => {
    const t = await makeTestApp({ loginRateLimit: 3 });
    for (let i = 0; i < 3; i++) {
      await attempt(t, DEMO.email, `wrong-${i}`, `198.51.100.${i}`).expect(401);
    }
    await attempt(t, DEMO.email, 'wrong-4', '198.51.100.99').expect(429);
  });

  it('limit one IP across emails (password spraying)', async () => {
    const t = await makeTestApp({ loginIpRateLimit: 3 });
    for (let i = 0; i < 3; i++) await attempt(t, `user${i}@example.com`, 'Winter2026!').expect(401);
    const sprayed = await attempt(t, 'user9@example.com', 'Winter2026!').expect(429);
    expect(Number(sprayed.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('limit one account across IPs, for one window only: the owner gets in once it passed', async () => {
    // A proxy the operator configured: its X-Forwarded-For tells the clients apart.
    const t = await makeTestApp({ trustProxy: 'loopback', loginAccountRateLimit: 3 });
    for (let i = 0; i < 3; i++) {
      await attempt(t, DEMO.email, `guess-${i}`, `203.0.113.${i}`).expect(401);
    }
    await attempt(t, DEMO.email, 'guess-4', '203.0.113.50').expect(429);
    await attempt(t, DEMO.email, DEMO.password, '192.0.2.7').expect(429);
    t.advance(60_000);
    await attempt(t, DEMO.email, DEMO.password, '192.0.2.7').expect(200);
  });

  it('limit registrations per IP (each costs a hash and can probe whether an email exists)', async () => {
    const t = await makeTestApp({ registerRateLimit: 2 });
    const register = (email: string) =>
      request(t.app)
        .post('/auth/register')
        .set(CSRF_HEADERS)
        .send({ email, password: 'a-long-enough-password' });
    await register('first@example.com').expect(201);
    await register(DEMO.email).expect(409);
    const limited = await register('third@example.com').expect(429);
    expect(limited.body).toMatchObject({ error: 'rate_limited' });
  });
});

describe('BoundedMemoryStore', () => {
  it('holds at most maxKeys counters, dropping the oldest window first', () => {
    const store = new BoundedMemoryStore(Date.now, 3);
    store.init({ windowMs: 60_000 } as Parameters<BoundedMemoryStore['init']>[0]);
    for (const key of ['a', 'b', 'c', 'd']) store.increment(key);
    expect(store.size).toBe(3);
    expect(store.get('a')).toBeUndefined();
    expect(store.get('d')?.totalHits).toBe(1);
    expect(store.increment('b').totalHits).toBe(2);
  });

  it('starts a fresh window once the old one ended', () => {
    let now = 0;
    const store = new BoundedMemoryStore(() => now, 10);
    store.init({ windowMs: 1_000 } as Parameters<BoundedMemoryStore['init']>[0]);
    store.increment('a');
    store.increment('a');
    now = 1_000;
    expect(store.increment('a').totalHits).toBe(1);
  });
});

describe('createHashGate', () => {
  const gate = () => createHashGate({ concurrency: 2, maxQueued: 1, perClient: 2 });
  const hold = () => {
    let release = () => {};
    const done = new Promise<void>((resolve) => (release = resolve));
    return { done, release };
  };

  it('lets one client hold at most perClient places, refusing more at once (429)', async () => {
    const g = gate();
    const a = hold();
    const first = g.run('ip-1', () => a.done);
    const second = g.run('ip-1', () => a.done);
    await expect(g.run('ip-1', () => Promise.resolve())).rejects.toEqual(new BusyError('client'));
    // Another client still gets through.
    const other = g.run('ip-2', () => Promise.resolve('ok'));
    a.release();
    await Promise.all([first, second]);
    expect(await other).toBe('ok');
  });

  it('runs at most `concurrency` at once, queues maxQueued, and refuses the rest (503)', async () => {
    const g = gate();
    const slow = hold();
    let running = 0;
    let peak = 0;
    const job = () => async () => {
      running++;
      peak = Math.max(peak, running);
      await slow.done;
      running--;
    };
    const jobs = [g.run('a', job()), g.run('b', job()), g.run('c', job())];
    await expect(g.run('d', job())).rejects.toEqual(new BusyError('server'));
    await Promise.resolve();
    expect(running).toBe(2);
    slow.release();
    await Promise.all(jobs);
    expect(peak).toBe(2);
    // Everything freed: the gate serves again.
    await expect(g.run('a', () => Promise.resolve(1))).resolves.toBe(1);
  });

  it('frees the place of a job that failed', async () => {
    const g = createHashGate({ concurrency: 1, maxQueued: 0, perClient: 1 });
    await expect(g.run('a', () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(g.run('a', () => Promise.resolve('again'))).resolves.toBe('again');
  });
});
