import { once } from 'node:events';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi, type RunningApi } from './process.js';

let api: RunningApi;
beforeAll(async () => {
  api = await startApi({ DATABASE_PATH: ':memory:', REQUEST_TIMEOUT: '2' });
}, 60_000);
afterAll(() => api.stop());

describe('slow clients', () => {
  it('are answered 408 and let go after REQUEST_TIMEOUT, not after Node’s 300 s', async () => {
    const { hostname, port } = new URL(api.url);
    const answers: string[] = [];
    const sockets = Array.from({ length: 20 }, () => {
      const socket = connect(Number(port), hostname);
      socket.on('error', () => {});
      socket.on('data', (chunk: Buffer) => answers.push(chunk.toString().split('\r\n')[0]!));
      // Headers, then a body that never completes.
      socket.write(
        'POST /auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n' +
          'X-Requested-With: slow\r\nContent-Length: 1000\r\n\r\n{"email":',
      );
      return socket;
    });
    // Bounded by the test's own timeout: the server ends every connection (FIN) by itself.
    await Promise.all(
      sockets.map((socket) => Promise.race([once(socket, 'end'), once(socket, 'close')])),
    );
    expect(answers).toEqual(Array(20).fill('HTTP/1.1 408 Request Timeout'));
    sockets.forEach((socket) => socket.destroy());
    expect((await fetch(`${api.url}/health`)).status).toBe(200);
  }, 30_000);
});
