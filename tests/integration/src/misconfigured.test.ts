import { mkdtemp, cp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { build, createServer, preview, type Plugin } from 'vite';
import { AuthConfigError } from '@tokenlane/react-auth/client';
import { withCookieJar } from '@tokenlane/test-servers/cookieJar';
import { transports, type TestClient } from '@tokenlane/test-servers/transports';

// Issue 32, item 7: an app served by Vite without the proxy for /auth (the README's Usage app,
// pasted into a fresh Vite template). Vite answers the restore's POST /auth/refresh with 404 on
// `vite dev` and on `vite preview`: a configuration error, not an outage. The page must not show
// "Loading…" forever: the restore settles signed out after one call, login says why, and the
// console names the URL once.

const fixture = new URL('./fixtures/vite-app/', import.meta.url).pathname;
/** Counts the auth calls that reach Vite (before its own 404). */
const authCalls = { count: 0 };
const counting: Plugin = {
  name: 'count-auth-calls',
  configureServer: (server) =>
    void server.middlewares.use((req, _res, next) => {
      if (req.url?.startsWith('/auth/')) authCalls.count++;
      next();
    }),
  configurePreviewServer: (server) =>
    void server.middlewares.use((req, _res, next) => {
      if (req.url?.startsWith('/auth/')) authCalls.count++;
      next();
    }),
};

let root = '';
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'tokenlane-vite-'));
  await cp(fixture, root, { recursive: true });
  await build({ root, logLevel: 'silent' });
}, 60_000);

/** A Vite dev server and a Vite preview of the built app, on loopback ports of their own. */
async function startVite() {
  const base = { root, logLevel: 'silent' as const, plugins: [counting] };
  const dev = await createServer({ ...base, server: { host: '127.0.0.1', port: 0 } });
  await dev.listen();
  const built = await preview({ ...base, preview: { host: '127.0.0.1', port: 0 } });
  return {
    dev: dev.resolvedUrls!.local[0]!,
    preview: built.resolvedUrls!.local[0]!,
    close: () =>
      Promise.all([
        dev.close(),
        new Promise<void>((resolve) => built.httpServer.close(() => resolve())),
      ]),
  };
}

const clients: TestClient[] = [];
afterEach(() => {
  clients.splice(0).forEach((client) => client.dispose());
  vi.restoreAllMocks();
});

describe.each(transports)('over $name, the app on Vite without the /auth proxy', (transport) => {
  // Servers of this transport's own: the warning is once per URL and page (this process).
  let vite: Awaited<ReturnType<typeof startVite>>;
  beforeAll(async () => void (vite = await startVite()), 60_000);
  afterAll(() => vite?.close());
  it.each(['dev', 'preview'] as const)(
    'vite %s: the restore settles signed out after one call; login rejects with AuthConfigError; one console warning names the URL',
    async (mode) => {
      const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
      const baseURL = vite[mode];
      const client = transport.create({ baseURL, crossTab: false }, withCookieJar());
      clients.push(client);
      authCalls.count = 0;
      const state = await client.restore();
      expect(state.status).toBe('unauthenticated');
      expect(authCalls.count).toBe(1);
      const error = await client
        .login({ email: 'a@example.com', password: 'pw' })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AuthConfigError);
      expect(error).toMatchObject({
        code: 'endpoint_misconfigured',
        status: 404,
        url: new URL('/auth/login', baseURL).toString(),
      });
      const warnings = warn.mock.calls.map(([message]) => String(message));
      const refreshURL = new URL('/auth/refresh', baseURL).toString();
      expect(warnings.filter((message) => message.includes(refreshURL))).toHaveLength(1);
      expect(warnings.every((message) => message.includes('proxy'))).toBe(true);
    },
  );
});
