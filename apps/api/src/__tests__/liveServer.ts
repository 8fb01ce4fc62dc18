import type { AddressInfo } from 'node:net';
import { afterEach } from 'vitest';
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
