import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { afterEach, expect } from 'vitest';
import { attachLive } from '../app.js';
import { createHttpServer } from '../server.js';
import type { TestApp } from './helpers.js';

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

/** Serves `t` with its live endpoints on loopback until the test ends; its `http://` origin. */
export async function serveLive(t: TestApp): Promise<string> {
  const server = createHttpServer(t.config, t.app);
  const detach = attachLive(server, t.app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(
    () =>
      new Promise<void>((resolve) => {
        detach();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  );
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** POSTs a todo as the holder of `token`. */
export const addTodo = (t: TestApp, token: string, title: string) =>
  request(t.app).post('/api/todos').set('Authorization', `Bearer ${token}`).send({ title });

/** Waits (up to 10 s, polling) until `done()`, then asserts it. */
export async function until(done: () => boolean) {
  for (let i = 0; i < 1_000 && !done(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(done()).toBe(true);
}
